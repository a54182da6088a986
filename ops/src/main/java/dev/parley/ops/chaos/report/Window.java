package dev.parley.ops.chaos.report;

/** A stretch of the run, in {@link System#nanoTime()}: a fault from injection to recovery. */
public record Window(long fromNanos, long toNanos) {

    public boolean contains(long nanos) {
        return fromNanos <= nanos && nanos <= toNanos;
    }

    /** Whether [a, b] and this window share a moment. */
    public boolean overlaps(long a, long b) {
        return a <= toNanos && b >= fromNanos;
    }
}
