package dev.parley.ops.chaos.fault;

import java.time.Duration;
import java.util.List;

/**
 * One step of a schedule: faults that start together (each after its offset) and overlap; a single fault is a step
 * of one. The next step starts once every fault of this one is recovered, the cluster has settled (every node
 * serving, every partition's replicas back in sync) and the pause after it has passed.
 *
 * @param faults the faults with their start offsets, first one at 0
 * @param pause  quiet time after the step, before the next one
 */
public record Step(List<Staggered> faults, Duration pause) {

    /** A fault starting {@code offset} after its step. */
    public record Staggered(Duration offset, Fault fault) {
    }

    public Step {
        faults = List.copyOf(faults);
        if (faults.isEmpty()) {
            throw new IllegalArgumentException("a step needs a fault");
        }
    }

    public boolean overlapping() {
        return faults.size() > 1;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Staggered s : faults) {
            if (b.length() > 0) {
                b.append(", then after ").append(s.offset().toSeconds()).append(" s ");
            }
            b.append(s.fault());
        }
        return b.toString();
    }
}
