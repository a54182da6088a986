package dev.parley.schemas.registry.server;

import dev.parley.schemas.registry.RegisteredSchema;
import dev.parley.schemas.registry.RegistryException;
import dev.parley.schemas.registry.server.RegistryRecord.CompatibilityConfig;
import dev.parley.schemas.registry.server.RegistryRecord.SchemaVersion;
import dev.parley.schemas.registry.server.RegistryState.StoredSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * The registry's rules, with Confluent Schema Registry semantics: subjects hold numbered versions; a
 * schema has one global id whatever subject it is registered under; registering a schema a subject already
 * has returns the existing registration; a new version must be compatible under the subject's (or the
 * global) {@link CompatibilityLevel}; deletion is soft (versions are hidden, ids and schemas are kept).
 *
 * <p>No HTTP or Kafka here: the state is read from a {@link RegistryState} and changed only by appending
 * records to a {@link RegistryStore}, which applies them to that state once they are stored. Writes are
 * serialized in this instance; a single writing instance per storage is the supported deployment.
 * Errors are {@link RegistryException}s with Confluent's error codes.
 */
public final class SchemaRegistryCore {

    /** Where a schema id is used. */
    public record SubjectVersion(String subject, int version) {
    }

    private final RegistryState state;
    private final RegistryStore store;
    private final CompatibilityLevel defaultLevel;
    private final Object writeLock = new Object();

    SchemaRegistryCore(RegistryState state, RegistryStore store, CompatibilityLevel defaultLevel) {
        this.state = Objects.requireNonNull(state);
        this.store = Objects.requireNonNull(store);
        this.defaultLevel = Objects.requireNonNull(defaultLevel);
    }

    /** A registry whose state lives only in this object (for {@code mock://} URLs and tests). */
    public static SchemaRegistryCore inMemory(CompatibilityLevel defaultLevel) {
        RegistryState state = new RegistryState();
        return new SchemaRegistryCore(state, new InMemoryRegistryStore(state), defaultLevel);
    }

    // ---------------------------------------------------------------- schemas and versions

    /**
     * Registers a schema under a subject, or returns the subject's existing (live) registration of it.
     *
     * @param schemaType null or AVRO
     * @throws RegistryException 42201 invalid schema, 409 incompatible (the message names the field)
     */
    public RegisteredSchema register(String subject, String schemaText, String schemaType) {
        requireSubject(subject);
        Schema schema = AvroSchemas.parse(schemaText, schemaType);
        String canonical = AvroSchemas.canonical(schema);
        synchronized (writeLock) {
            List<SchemaVersion> all = state.versions(subject);
            for (SchemaVersion v : all) {
                if (!v.deleted() && v.schema().equals(canonical)) {
                    return registered(v);
                }
            }
            List<String> problems = CompatibilityChecker.check(effectiveLevel(subject), schema, previous(live(all)));
            if (!problems.isEmpty()) {
                throw new RegistryException(409, RegistryException.INCOMPATIBLE, "Schema being registered is incompatible"
                        + " with an earlier schema for subject \"" + subject + "\"; details: " + String.join("; ", problems));
            }
            int id = state.idOf(canonical).orElseGet(() -> state.maxId() + 1);
            int version = all.isEmpty() ? 1 : all.get(all.size() - 1).version() + 1;
            SchemaVersion record = new SchemaVersion(subject, version, id, canonical, false);
            store.append(List.of(record));
            requireApplied(record);
            return registered(record);
        }
    }

    /** {@link #register(String, String, String)} for a parsed schema. */
    public RegisteredSchema register(String subject, Schema schema) {
        return register(subject, schema.toString(), AvroSchemas.AVRO);
    }

    /**
     * The subject's registration of exactly this schema.
     *
     * @throws RegistryException 40401 no such subject, 40403 the subject does not have this schema
     */
    public RegisteredSchema lookup(String subject, String schemaText, String schemaType, boolean includeDeleted) {
        String canonical = AvroSchemas.canonical(AvroSchemas.parse(schemaText, schemaType));
        List<SchemaVersion> versions = visible(subject, includeDeleted);
        for (int i = versions.size() - 1; i >= 0; i--) {
            if (versions.get(i).schema().equals(canonical)) {
                return registered(versions.get(i));
            }
        }
        throw new RegistryException(404, RegistryException.SCHEMA_NOT_FOUND, "Schema not found under subject '" + subject + "'");
    }

    /** @throws RegistryException 40403 when no schema has this id */
    public Schema schemaById(int id) {
        return stored(id).schema();
    }

    /** The canonical text of the schema with this id. @throws RegistryException 40403 */
    public String schemaTextById(int id) {
        return stored(id).text();
    }

    /** Every (subject, version) that uses the schema id. @throws RegistryException 40403 */
    public List<SubjectVersion> usesOf(int id, boolean includeDeleted) {
        stored(id);
        return state.versionsWithId(id).stream()
                .filter(v -> includeDeleted || !v.deleted())
                .map(v -> new SubjectVersion(v.subject(), v.version()))
                .sorted(java.util.Comparator.comparing(SubjectVersion::subject).thenComparingInt(SubjectVersion::version))
                .toList();
    }

    /** Subjects with a live version (or any version when {@code includeDeleted}), sorted, starting with {@code prefix}. */
    public List<String> subjects(String prefix, boolean includeDeleted) {
        String p = prefix == null ? "" : prefix;
        return state.subjectNames().stream()
                .filter(s -> s.startsWith(p))
                .filter(s -> includeDeleted || state.versions(s).stream().anyMatch(v -> !v.deleted()))
                .sorted()
                .toList();
    }

    /** Version numbers of the subject. @throws RegistryException 40401 */
    public List<Integer> versions(String subject, boolean includeDeleted) {
        return visible(subject, includeDeleted).stream().map(SchemaVersion::version).toList();
    }

    /**
     * @param version a number, {@code latest} or {@code -1}
     * @throws RegistryException 40401 no such subject, 40402 no such version, 42202 not a version
     */
    public RegisteredSchema version(String subject, String version, boolean includeDeleted) {
        return registered(find(subject, VersionRef.parse(version), includeDeleted));
    }

    /**
     * Checks a schema against a subject without registering it.
     *
     * @param version null or {@code latest}: as a registration would (every live version when the level is
     *                transitive); a number: against that version only, in the level's direction(s)
     * @return messages, one per incompatibility; empty when compatible (also when the subject has no version yet
     *         and {@code version} is null or latest)
     */
    public List<String> compatibilityProblems(String subject, String version, String schemaText, String schemaType) {
        Schema schema = AvroSchemas.parse(schemaText, schemaType);
        VersionRef ref = VersionRef.parse(version);
        CompatibilityLevel level = effectiveLevel(subject);
        if (ref.isLatest()) {
            return CompatibilityChecker.check(level, schema, previous(live(state.versions(subject))));
        }
        SchemaVersion against = find(subject, ref, false);
        CompatibilityLevel single = switch (level) {
            case BACKWARD_TRANSITIVE -> CompatibilityLevel.BACKWARD;
            case FORWARD_TRANSITIVE -> CompatibilityLevel.FORWARD;
            case FULL_TRANSITIVE -> CompatibilityLevel.FULL;
            default -> level;
        };
        return CompatibilityChecker.check(single, schema, previous(List.of(against)));
    }

    // ---------------------------------------------------------------- deletion (soft only)

    /**
     * Soft-deletes every live version of the subject: they are hidden, their ids and schemas stay.
     *
     * @return the versions deleted
     * @throws RegistryException 40401 no live version, 42205 for {@code permanent} (not supported)
     */
    public List<Integer> deleteSubject(String subject, boolean permanent) {
        refusePermanent(permanent);
        synchronized (writeLock) {
            List<SchemaVersion> live = live(visible(subject, false));
            store.append(live.stream().map(v -> (RegistryRecord) v.softDeleted()).toList());
            return live.stream().map(SchemaVersion::version).toList();
        }
    }

    /**
     * Soft-deletes one version.
     *
     * @throws RegistryException 40401, 40402, 40406 (already soft-deleted), 42202, 42205 for {@code permanent}
     */
    public int deleteVersion(String subject, String version, boolean permanent) {
        refusePermanent(permanent);
        VersionRef ref = VersionRef.parse(version);
        synchronized (writeLock) {
            SchemaVersion v = find(subject, ref, true);
            if (v.deleted()) {
                throw new RegistryException(404, 40406, "Version " + v.version() + " of subject '" + subject
                        + "' was already soft deleted");
            }
            store.append(List.of(v.softDeleted()));
            return v.version();
        }
    }

    // ---------------------------------------------------------------- compatibility configuration

    /** The global level: the one set, or the configured default. */
    public CompatibilityLevel globalLevel() {
        return state.globalLevel().orElse(defaultLevel);
    }

    public CompatibilityLevel setGlobalLevel(CompatibilityLevel level) {
        synchronized (writeLock) {
            store.append(List.of(new CompatibilityConfig(null, Objects.requireNonNull(level))));
        }
        return level;
    }

    /** Forgets the global level set, back to the configured default; returns the level in force before. */
    public CompatibilityLevel resetGlobalLevel() {
        CompatibilityLevel before = globalLevel();
        synchronized (writeLock) {
            store.append(List.of(new CompatibilityConfig(null, null)));
        }
        return before;
    }

    /** The level set for the subject itself, if any. */
    public Optional<CompatibilityLevel> subjectLevel(String subject) {
        return state.subjectLevel(subject);
    }

    /** The level a registration under the subject is checked with. */
    public CompatibilityLevel effectiveLevel(String subject) {
        return state.subjectLevel(subject).orElseGet(this::globalLevel);
    }

    public CompatibilityLevel setSubjectLevel(String subject, CompatibilityLevel level) {
        requireSubject(subject);
        synchronized (writeLock) {
            store.append(List.of(new CompatibilityConfig(subject, Objects.requireNonNull(level))));
        }
        return level;
    }

    /** Removes the subject's own level; returns it. @throws RegistryException 40408 when it had none */
    public CompatibilityLevel clearSubjectLevel(String subject) {
        synchronized (writeLock) {
            CompatibilityLevel before = state.subjectLevel(subject).orElseThrow(() -> noSubjectLevel(subject));
            store.append(List.of(new CompatibilityConfig(subject, null)));
            return before;
        }
    }

    static RegistryException noSubjectLevel(String subject) {
        return new RegistryException(404, 40408, "Subject '" + subject + "' does not have subject-level compatibility configured");
    }

    // ---------------------------------------------------------------- helpers

    private StoredSchema stored(int id) {
        return state.schema(id).orElseThrow(() ->
                new RegistryException(404, RegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found"));
    }

    /** The subject's versions, live ones only unless {@code includeDeleted}. @throws RegistryException 40401 when none */
    private List<SchemaVersion> visible(String subject, boolean includeDeleted) {
        List<SchemaVersion> versions = state.versions(subject);
        List<SchemaVersion> shown = includeDeleted ? versions : live(versions);
        if (shown.isEmpty()) {
            throw new RegistryException(404, RegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
        }
        return shown;
    }

    private SchemaVersion find(String subject, VersionRef ref, boolean includeDeleted) {
        List<SchemaVersion> versions = visible(subject, includeDeleted);
        if (ref.isLatest()) {
            List<SchemaVersion> live = live(versions);
            if (live.isEmpty()) {
                throw versionNotFound(subject, ref);
            }
            return live.get(live.size() - 1);
        }
        return versions.stream().filter(v -> v.version() == ref.number()).findFirst()
                .orElseThrow(() -> versionNotFound(subject, ref));
    }

    private static RegistryException versionNotFound(String subject, VersionRef ref) {
        return new RegistryException(404, RegistryException.VERSION_NOT_FOUND, "Version " + ref + " not found for subject '" + subject + "'.");
    }

    private static List<SchemaVersion> live(List<SchemaVersion> versions) {
        return versions.stream().filter(v -> !v.deleted()).toList();
    }

    private List<CompatibilityChecker.Previous> previous(List<SchemaVersion> versions) {
        List<CompatibilityChecker.Previous> out = new ArrayList<>();
        for (SchemaVersion v : versions) {
            out.add(new CompatibilityChecker.Previous(v.version(), v.id(), stored(v.id()).schema()));
        }
        return out;
    }

    private RegisteredSchema registered(SchemaVersion v) {
        return new RegisteredSchema(v.subject(), v.id(), v.version(), stored(v.id()).schema());
    }

    /** After a write: the state must show it, or another instance wrote to the same storage at the same time. */
    private void requireApplied(SchemaVersion written) {
        boolean present = state.versions(written.subject()).stream()
                .anyMatch(v -> v.version() == written.version() && v.id() == written.id() && !v.deleted());
        if (!present) {
            throw new RegistryException(500, RegistryException.STORE_ERROR, "version " + written.version() + " of subject '"
                    + written.subject() + "' was written but the stored state differs: another registry instance is writing"
                    + " to the same storage, which is not supported (run a single registry instance)");
        }
    }

    private static void requireSubject(String subject) {
        if (subject == null || subject.isBlank()) {
            throw new RegistryException(422, 42208, "Invalid subject: the subject name is empty");
        }
    }

    private static void refusePermanent(boolean permanent) {
        if (permanent) {
            throw new RegistryException(422, 42205, "Permanent deletion is not supported by Parley's registry: schemas"
                    + " and their ids are kept forever so that every record ever written stays readable");
        }
    }
}
