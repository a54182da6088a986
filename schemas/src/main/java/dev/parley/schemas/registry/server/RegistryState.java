package dev.parley.schemas.registry.server;

import dev.parley.schemas.registry.server.RegistryRecord.CompatibilityConfig;
import dev.parley.schemas.registry.server.RegistryRecord.SchemaVersion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's state, built only by applying {@link RegistryRecord}s in log order. Thread-safe: the
 * storage reader applies records while request threads query.
 */
final class RegistryState {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryState.class);

    /** A schema known by id, in canonical text and parsed form. */
    record StoredSchema(int id, String text, Schema schema) {
    }

    private final Map<String, TreeMap<Integer, SchemaVersion>> subjects = new HashMap<>();
    private final Map<Integer, StoredSchema> byId = new HashMap<>();
    private final Map<String, Integer> idByText = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel;
    private int maxId;
    private long applied;

    synchronized void apply(RegistryRecord record) {
        if (record instanceof SchemaVersion v) {
            applyVersion(v);
        } else if (record instanceof CompatibilityConfig c) {
            applyConfig(c);
        }
        applied++;
    }

    private void applyVersion(SchemaVersion v) {
        if (!byId.containsKey(v.id())) {
            Schema parsed;
            try {
                parsed = new Schema.Parser().parse(v.schema());
            } catch (RuntimeException e) {
                LOG.error("ignoring stored version {} of subject '{}': its schema (id {}) does not parse: {}",
                        v.version(), v.subject(), v.id(), e.getMessage());
                return;
            }
            byId.put(v.id(), new StoredSchema(v.id(), v.schema(), parsed));
            idByText.merge(v.schema(), v.id(), Math::min);
        }
        maxId = Math.max(maxId, v.id());
        subjects.computeIfAbsent(v.subject(), s -> new TreeMap<>()).put(v.version(), v);
    }

    private void applyConfig(CompatibilityConfig c) {
        if (c.subject() == null) {
            globalLevel = c.level();
        } else if (c.level() == null) {
            subjectLevels.remove(c.subject());
        } else {
            subjectLevels.put(c.subject(), c.level());
        }
    }

    /** Records applied so far (for logs). */
    synchronized long appliedCount() {
        return applied;
    }

    synchronized int maxId() {
        return maxId;
    }

    synchronized Optional<StoredSchema> schema(int id) {
        return Optional.ofNullable(byId.get(id));
    }

    synchronized Optional<Integer> idOf(String canonicalText) {
        return Optional.ofNullable(idByText.get(canonicalText));
    }

    /** Every version of the subject in version order, soft-deleted ones included. */
    synchronized List<SchemaVersion> versions(String subject) {
        TreeMap<Integer, SchemaVersion> versions = subjects.get(subject);
        return versions == null ? List.of() : List.copyOf(versions.values());
    }

    /** Every subject that has at least one version (soft-deleted ones included). */
    synchronized List<String> subjectNames() {
        return List.copyOf(subjects.keySet());
    }

    /** Every version, of every subject, registered with this schema id. */
    synchronized List<SchemaVersion> versionsWithId(int id) {
        List<SchemaVersion> out = new ArrayList<>();
        subjects.values().forEach(vs -> vs.values().stream().filter(v -> v.id() == id).forEach(out::add));
        return out;
    }

    /** The global level, when one was set. */
    synchronized Optional<CompatibilityLevel> globalLevel() {
        return Optional.ofNullable(globalLevel);
    }

    synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }
}
