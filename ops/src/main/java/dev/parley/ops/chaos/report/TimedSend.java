package dev.parley.ops.chaos.report;

/**
 * When a send was due (its slot in the open-loop schedule) and when its ack came.
 *
 * @param intendedNanos {@link System#nanoTime()} of its slot
 * @param ackedNanos    of its ack, or -1 when it was never acked
 */
public record TimedSend(long intendedNanos, long ackedNanos) {

    public boolean acked() {
        return ackedNanos >= 0;
    }

    public long latencyNanos() {
        return ackedNanos - intendedNanos;
    }
}
