package dev.parley.schemas.registry;

import dev.parley.schemas.registry.server.CompatibilityLevel;
import dev.parley.schemas.registry.server.SchemaRegistryCore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A registry in this JVM's memory, for {@code schema.registry.url=mock://<scope>} (the same convention
 * as Confluent's serializers): every serde configured with the same scope shares one instance. For unit
 * tests and TopologyTestDriver. It runs the same {@link SchemaRegistryCore} as Parley's registry server
 * (global ids, idempotent registration, BACKWARD compatibility by default), with nothing stored.
 */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {

    private static final Map<String, InMemorySchemaRegistry> SCOPES = new ConcurrentHashMap<>();

    private final SchemaRegistryCore core = SchemaRegistryCore.inMemory(CompatibilityLevel.BACKWARD);

    /** The shared instance for a {@code mock://} scope. */
    public static InMemorySchemaRegistry forScope(String scope) {
        return SCOPES.computeIfAbsent(scope, s -> new InMemorySchemaRegistry());
    }

    /** Forgets a scope (between tests). */
    public static void dropScope(String scope) {
        SCOPES.remove(scope);
    }

    /** The registry's rules and state, e.g. to set a subject's compatibility level in a test. */
    public SchemaRegistryCore core() {
        return core;
    }

    @Override
    public int register(String subject, Schema schema) {
        return core.register(subject, schema).id();
    }

    @Override
    public Schema schemaById(int id) {
        return core.schemaById(id);
    }

    @Override
    public RegisteredSchema latest(String subject) {
        return core.version(subject, "latest", false);
    }

    @Override
    public RegisteredSchema version(String subject, int version) {
        if (version < 1) {
            throw new RegistryException(422, RegistryException.INVALID_VERSION, "Version " + version + " is not a valid version");
        }
        return core.version(subject, String.valueOf(version), false);
    }

    @Override
    public RegisteredSchema lookup(String subject, Schema schema) {
        return core.lookup(subject, schema.toString(), null, false);
    }

    @Override
    public List<String> subjects() {
        return core.subjects("", false);
    }

    @Override
    public List<String> compatibilityProblems(String subject, Schema schema) {
        return core.compatibilityProblems(subject, "latest", schema.toString(), null);
    }
}
