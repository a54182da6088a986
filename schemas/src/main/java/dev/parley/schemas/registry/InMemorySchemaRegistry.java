package dev.parley.schemas.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * A registry in this JVM's memory, for {@code schema.registry.url=mock://<scope>} (the same convention
 * as Confluent's serializers): every serde configured with the same scope shares one instance. For unit
 * tests and TopologyTestDriver; checks BACKWARD compatibility like the real one.
 */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {

    private static final Map<String, InMemorySchemaRegistry> SCOPES = new ConcurrentHashMap<>();

    private final Map<String, List<RegisteredSchema>> subjects = new LinkedHashMap<>();
    private final Map<Integer, Schema> byId = new LinkedHashMap<>();
    private final Map<Schema, Integer> ids = new LinkedHashMap<>();

    /** The shared instance for a {@code mock://} scope. */
    public static InMemorySchemaRegistry forScope(String scope) {
        return SCOPES.computeIfAbsent(scope, s -> new InMemorySchemaRegistry());
    }

    /** Forgets a scope (between tests). */
    public static void dropScope(String scope) {
        SCOPES.remove(scope);
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        List<RegisteredSchema> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
        for (RegisteredSchema r : versions) {
            if (r.schema().equals(schema)) {
                return r.id();
            }
        }
        List<String> problems = compatibilityProblems(subject, schema);
        if (!problems.isEmpty()) {
            throw new RegistryException(409, RegistryException.INCOMPATIBLE,
                    "Schema being registered is incompatible with an earlier schema for subject \"" + subject + "\", details: " + problems);
        }
        int id = ids.computeIfAbsent(schema, s -> ids.size() + 1);
        byId.put(id, schema);
        versions.add(new RegisteredSchema(subject, id, versions.size() + 1, schema));
        return id;
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Schema s = byId.get(id);
        if (s == null) {
            throw new RegistryException(404, RegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found");
        }
        return s;
    }

    @Override
    public synchronized RegisteredSchema latest(String subject) {
        List<RegisteredSchema> versions = versions(subject);
        return versions.get(versions.size() - 1);
    }

    @Override
    public synchronized RegisteredSchema version(String subject, int version) {
        List<RegisteredSchema> versions = versions(subject);
        if (version < 1 || version > versions.size()) {
            throw new RegistryException(404, RegistryException.VERSION_NOT_FOUND, "Version " + version + " not found.");
        }
        return versions.get(version - 1);
    }

    @Override
    public synchronized RegisteredSchema lookup(String subject, Schema schema) {
        for (RegisteredSchema r : versions(subject)) {
            if (r.schema().equals(schema)) {
                return r;
            }
        }
        throw new RegistryException(404, RegistryException.SCHEMA_NOT_FOUND, "Schema not found");
    }

    @Override
    public synchronized List<String> subjects() {
        return List.copyOf(subjects.keySet());
    }

    @Override
    public synchronized List<String> compatibilityProblems(String subject, Schema schema) {
        List<RegisteredSchema> versions = subjects.getOrDefault(subject, List.of());
        if (versions.isEmpty()) {
            return List.of();
        }
        Schema previous = versions.get(versions.size() - 1).schema();
        var result = SchemaCompatibility.checkReaderWriterCompatibility(schema, previous).getResult();
        List<String> out = new ArrayList<>();
        result.getIncompatibilities().forEach(i -> out.add(i.getType() + " at " + i.getLocation() + ": " + i.getMessage()));
        return out;
    }

    private List<RegisteredSchema> versions(String subject) {
        List<RegisteredSchema> versions = subjects.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw new RegistryException(404, RegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
        }
        return versions;
    }
}
