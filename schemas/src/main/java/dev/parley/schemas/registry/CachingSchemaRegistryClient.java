package dev.parley.schemas.registry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * Caches what never changes in a registry (a schema by id, the id of a schema under a subject) forever,
 * and "latest version" lookups for a TTL, so that serializers never call the registry per record.
 */
public final class CachingSchemaRegistryClient implements SchemaRegistryClient {

    private record SubjectSchema(String subject, Schema schema) {
    }

    private record Expiring(RegisteredSchema value, Instant expires) {
    }

    private final SchemaRegistryClient delegate;
    private final Duration latestTtl;
    private final Clock clock;
    private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, Integer> ids = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, RegisteredSchema> lookups = new ConcurrentHashMap<>();
    private final Map<String, Expiring> latest = new ConcurrentHashMap<>();

    /**
     * @param latestTtl how long a "latest version" answer is reused; negative means forever (Confluent's
     *                  {@code latest.cache.ttl.sec=-1})
     */
    public CachingSchemaRegistryClient(SchemaRegistryClient delegate, Duration latestTtl, Clock clock) {
        this.delegate = delegate;
        this.latestTtl = latestTtl;
        this.clock = clock;
    }

    public CachingSchemaRegistryClient(SchemaRegistryClient delegate) {
        this(delegate, Duration.ofMinutes(5), Clock.systemUTC());
    }

    @Override
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer id = ids.get(key);
        if (id == null) {
            id = delegate.register(subject, schema);
            ids.put(key, id);
            byId.putIfAbsent(id, schema);
        }
        return id;
    }

    @Override
    public Schema schemaById(int id) {
        return byId.computeIfAbsent(id, delegate::schemaById);
    }

    @Override
    public RegisteredSchema latest(String subject) {
        Instant now = clock.instant();
        Expiring cached = latest.get(subject);
        if (cached != null && (latestTtl.isNegative() || now.isBefore(cached.expires()))) {
            return cached.value();
        }
        RegisteredSchema fresh = delegate.latest(subject);
        latest.put(subject, new Expiring(fresh, latestTtl.isNegative() ? Instant.MAX : now.plus(latestTtl)));
        byId.putIfAbsent(fresh.id(), fresh.schema());
        return fresh;
    }

    @Override
    public RegisteredSchema version(String subject, int version) {
        RegisteredSchema r = delegate.version(subject, version);
        byId.putIfAbsent(r.id(), r.schema());
        return r;
    }

    @Override
    public RegisteredSchema lookup(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        RegisteredSchema r = lookups.get(key);
        if (r == null) {
            r = delegate.lookup(subject, schema);
            lookups.put(key, r);
            ids.putIfAbsent(key, r.id());
            byId.putIfAbsent(r.id(), r.schema());
        }
        return r;
    }

    @Override
    public List<String> subjects() {
        return delegate.subjects();
    }

    @Override
    public List<String> compatibilityProblems(String subject, Schema schema) {
        return delegate.compatibilityProblems(subject, schema);
    }
}
