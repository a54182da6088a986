package dev.parley.notifier.delivery;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Which offsets may be committed when records complete out of order: per partition, the offset after the
 * longest run of completed records from the oldest one in flight. A record still being retried holds back
 * the offsets after it, so a crash redelivers it (and the ones after it, which receivers dedupe by id).
 *
 * @param <P> partition
 * @param <R> what a completed record leaves to write in the commit (e.g. dead letters)
 */
public final class OffsetTracker<P, R> {

    private final Map<P, TreeMap<Long, List<R>>> inFlight = new HashMap<>();
    private final Map<P, TreeMap<Long, List<R>>> completed = new HashMap<>();

    /** What may be committed now: next offsets by partition, and the leftovers of those records, in offset order. */
    public record Committable<P, R>(Map<P, Long> offsets, List<R> leftovers) {
        public boolean isEmpty() {
            return offsets.isEmpty();
        }
    }

    public void started(P partition, long offset) {
        inFlight.computeIfAbsent(partition, p -> new TreeMap<>()).put(offset, List.of());
    }

    /** Marks a record done; unknown records (of a partition revoked meanwhile) are ignored. */
    public void completed(P partition, long offset, List<R> leftovers) {
        TreeMap<Long, List<R>> open = inFlight.get(partition);
        if (open == null || open.remove(offset) == null) {
            return;
        }
        completed.computeIfAbsent(partition, p -> new TreeMap<>()).put(offset, List.copyOf(leftovers));
    }

    /** Removes and returns what is committable. */
    public Committable<P, R> drain() {
        Map<P, Long> offsets = new HashMap<>();
        List<R> leftovers = new ArrayList<>();
        for (Map.Entry<P, TreeMap<Long, List<R>>> e : completed.entrySet()) {
            TreeMap<Long, List<R>> done = e.getValue();
            TreeMap<Long, List<R>> open = inFlight.getOrDefault(e.getKey(), new TreeMap<>());
            Long oldestOpen = open.isEmpty() ? null : open.firstKey();
            Long next = null;
            while (!done.isEmpty() && (oldestOpen == null || done.firstKey() < oldestOpen)) {
                Map.Entry<Long, List<R>> first = done.pollFirstEntry();
                leftovers.addAll(first.getValue());
                next = first.getKey() + 1;
            }
            if (next != null) {
                offsets.put(e.getKey(), next);
            }
        }
        return new Committable<>(offsets, leftovers);
    }

    /** Forgets partitions that moved to another worker. */
    public void forget(Collection<P> partitions) {
        partitions.forEach(p -> {
            inFlight.remove(p);
            completed.remove(p);
        });
    }

    public int inFlight() {
        return inFlight.values().stream().mapToInt(Map::size).sum();
    }

    /** Partition -> records still being delivered (for logs). */
    public <K> Map<K, Integer> inFlightBy(Function<P, K> key) {
        Map<K, Integer> out = new HashMap<>();
        inFlight.forEach((p, m) -> out.merge(key.apply(p), m.size(), Integer::sum));
        return out;
    }
}
