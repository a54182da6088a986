package dev.parley.ops.chaos.report;

import java.util.Arrays;
import java.util.List;

/**
 * How long the system acknowledged nothing around a fault, and how long the sends due during it waited: the
 * availability side of a fault, from the acks' timeline. Pure.
 */
public final class Unavailability {

    private final long[] acks;
    private final List<TimedSend> sends;
    private final long endNanos;

    /**
     * @param sends    every send
     * @param endNanos the end of the load: a fault after which nothing was acked is unavailable until then
     */
    public Unavailability(List<TimedSend> sends, long endNanos) {
        this.sends = List.copyOf(sends);
        this.acks = sends.stream().filter(TimedSend::acked).mapToLong(TimedSend::ackedNanos).sorted().toArray();
        this.endNanos = endNanos;
    }

    /**
     * The longest time with no ack at all among the quiet stretches that overlap the window: from one ack (or the
     * window's start, when the last ack before it is older) to the next (or the end of the load).
     */
    public long longestSilenceNanos(Window w) {
        int i = Arrays.binarySearch(acks, w.fromNanos());
        int first = i >= 0 ? i : -i - 1; // the first ack at or after the window's start
        long longest = 0;
        long previous = first > 0 ? acks[first - 1] : w.fromNanos();
        for (int k = first; k <= acks.length; k++) {
            long next = k < acks.length ? acks[k] : endNanos;
            if (previous > w.toNanos()) {
                break;
            }
            if (w.overlaps(previous, next)) {
                longest = Math.max(longest, next - previous);
            }
            previous = next;
        }
        return longest;
    }

    /** The longest a send due during the window waited for its ack (to the end of the load if it never came). */
    public long worstWaitNanos(Window w) {
        long worst = 0;
        for (TimedSend s : sends) {
            if (w.contains(s.intendedNanos())) {
                worst = Math.max(worst, (s.acked() ? s.ackedNanos() : endNanos) - s.intendedNanos());
            }
        }
        return worst;
    }
}
