package dev.parley.schemas.registry.server;

import dev.parley.schemas.evolution.Incompatibility;
import dev.parley.schemas.evolution.SchemaEvolutionGuard;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Decides whether a candidate schema may follow earlier versions under a {@link CompatibilityLevel}, with
 * Avro's {@link org.apache.avro.SchemaCompatibility} (through {@link SchemaEvolutionGuard}, which names
 * the offending field). Pure: no storage, no HTTP.
 */
final class CompatibilityChecker {

    /** An earlier version to check against. */
    record Previous(int version, int id, Schema schema) {
    }

    private CompatibilityChecker() {
    }

    /**
     * @param previousOldestFirst the subject's live versions, oldest first
     * @return one message per incompatibility (naming the level, the version and the field); empty when compatible
     */
    static List<String> check(CompatibilityLevel level, Schema candidate, List<Previous> previousOldestFirst) {
        if (level == CompatibilityLevel.NONE || previousOldestFirst.isEmpty()) {
            return List.of();
        }
        List<Previous> against = new ArrayList<>(level.transitive()
                ? previousOldestFirst
                : List.of(previousOldestFirst.get(previousOldestFirst.size() - 1)));
        Collections.reverse(against); // newest first: the most relevant message leads
        List<String> messages = new ArrayList<>();
        for (Previous p : against) {
            String old = "version " + p.version() + " (id " + p.id() + ")";
            if (level.backward()) {
                for (Incompatibility i : SchemaEvolutionGuard.check(candidate, p.schema(), old)) {
                    messages.add(level + ": the new schema cannot read data written with " + old
                            + ": field '" + i.fieldPath() + "': " + i.problem());
                }
            }
            if (level.forward()) {
                for (Incompatibility i : SchemaEvolutionGuard.check(p.schema(), candidate, "the new schema")) {
                    messages.add(level + ": " + old + " cannot read data written with the new schema: field '"
                            + i.fieldPath() + "': " + i.problem());
                }
            }
        }
        return messages;
    }
}
