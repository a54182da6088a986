package dev.parley.ops.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Latencies of one measured path, in microseconds, measured from the <em>intended</em> time of each
 * operation (its slot in an open-loop schedule), not from when the load generator got round to it: a stall
 * of the system (or of the generator) shows up in full in every operation scheduled during it, so the
 * percentiles do not suffer from coordinated omission. Only operations whose intended time falls in the
 * measurement window count: the warm-up before it and the drain after it are excluded. Thread-safe.
 */
public final class LatencyRecorder {

    private static final long MAX_MICROS = TimeUnit.HOURS.toMicros(1);

    private final String name;
    private final ConcurrentHistogram histogram = new ConcurrentHistogram(MAX_MICROS, 3);
    private final AtomicLong excluded = new AtomicLong();
    private volatile long windowStart = Long.MIN_VALUE;
    private volatile long windowEnd = Long.MAX_VALUE;

    public LatencyRecorder(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Operations intended in [startNanos, endNanos) count; the others are warm-up or drain. */
    /** Start of the measured window ({@link System#nanoTime()}). */
    public long windowStart() {
        return windowStart;
    }

    /** End of the measured window ({@link System#nanoTime()}). */
    public long windowEnd() {
        return windowEnd;
    }

    public LatencyRecorder window(long startNanos, long endNanos) {
        this.windowStart = startNanos;
        this.windowEnd = endNanos;
        return this;
    }

    /**
     * @param intendedNanos when the operation was due ({@link System#nanoTime()} clock)
     * @param doneNanos     when its answer arrived
     * @return whether it counted (inside the window)
     */
    public boolean record(long intendedNanos, long doneNanos) {
        if (intendedNanos < windowStart || intendedNanos >= windowEnd) {
            excluded.incrementAndGet();
            return false;
        }
        long micros = Math.max(0, (doneNanos - intendedNanos) / 1_000);
        histogram.recordValue(Math.min(micros, MAX_MICROS));
        return true;
    }

    /** Records a latency as is (for paths with no schedule, e.g. one-off timings). */
    public void recordMicros(long micros) {
        histogram.recordValue(Math.min(Math.max(0, micros), MAX_MICROS));
    }

    public long count() {
        return histogram.getTotalCount();
    }

    public long excluded() {
        return excluded.get();
    }

    /** A copy of the histogram so far. */
    public Histogram snapshot() {
        return histogram.copy();
    }

    /** The usual percentiles, in milliseconds. */
    public Summary summary() {
        return Summary.of(name, snapshot());
    }

    /** p50/p90/p99/p99.9/max in milliseconds, and how many operations they cover. */
    public record Summary(String name, long count, double p50, double p90, double p99, double p999, double max) {

        static Summary of(String name, Histogram h) {
            if (h.getTotalCount() == 0) {
                return new Summary(name, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            return new Summary(name, h.getTotalCount(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
                    ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()));
        }

        private static double ms(long micros) {
            return micros / 1000.0;
        }
    }
}
