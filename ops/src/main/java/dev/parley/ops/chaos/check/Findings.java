package dev.parley.ops.chaos.check;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** What the checks found: a count per {@link LossClass} and the first few examples of each. */
public final class Findings {

    /** Examples kept per class. */
    public static final int EXAMPLES = 5;

    private final Map<LossClass, Long> counts = new EnumMap<>(LossClass.class);
    private final Map<LossClass, List<String>> examples = new EnumMap<>(LossClass.class);

    /** Counts one violation ({@code n} lost events, e.g., count as n). */
    public void add(LossClass c, long n, String example) {
        counts.merge(c, n, Long::sum);
        List<String> list = examples.computeIfAbsent(c, k -> new ArrayList<>());
        if (list.size() < EXAMPLES) {
            list.add(example);
        }
    }

    public void add(LossClass c, String example) {
        add(c, 1, example);
    }

    public long count(LossClass c) {
        return counts.getOrDefault(c, 0L);
    }

    public List<String> examples(LossClass c) {
        return List.copyOf(examples.getOrDefault(c, List.of()));
    }

    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    public boolean clean() {
        return total() == 0;
    }

    /** One line per class (all of them, 0s included), each followed by its examples. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        for (LossClass c : LossClass.values()) {
            out.add(String.format("%-20s %8d  %s", c.name().toLowerCase(java.util.Locale.ROOT), count(c), c.description()));
            for (String e : examples(c)) {
                out.add("    e.g. " + e);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return counts.toString();
    }
}
