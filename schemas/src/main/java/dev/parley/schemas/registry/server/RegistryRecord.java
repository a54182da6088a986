package dev.parley.schemas.registry.server;

/**
 * One change of the registry's state, as written to its storage. The state is exactly the result of
 * applying every record in order, so the storage log is the truth.
 */
sealed interface RegistryRecord {

    /**
     * A schema registered under a subject as a version (or that version's soft deletion, with
     * {@code deleted=true}; the same key, so a compacted log keeps the latest state).
     *
     * @param schema the canonical schema text ({@link AvroSchemas#canonical})
     */
    record SchemaVersion(String subject, int version, int id, String schema, boolean deleted) implements RegistryRecord {
        SchemaVersion softDeleted() {
            return new SchemaVersion(subject, version, id, schema, true);
        }
    }

    /**
     * A compatibility level set (or cleared, with a null level) for a subject, or globally with a null subject.
     */
    record CompatibilityConfig(String subject, CompatibilityLevel level) implements RegistryRecord {
    }
}
