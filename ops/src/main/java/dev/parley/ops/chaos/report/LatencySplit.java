package dev.parley.ops.chaos.report;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Send -> ack latencies (from each send's slot in the schedule, so stalls count in full) split by when the send was
 * due: during a fault step (from its first fault until the cluster settled again, and in the full run until the load
 * had caught up), between steps (steady), and after the last step (the calm load). Sends never acked are left out
 * (they are counted as unsettled). Pure.
 */
public final class LatencySplit {

    private static final long MAX_MICROS = TimeUnit.HOURS.toMicros(1);

    private final Histogram during = new Histogram(MAX_MICROS, 3);
    private final Histogram between = new Histogram(MAX_MICROS, 3);
    private final Histogram after = new Histogram(MAX_MICROS, 3);

    /**
     * @param faults        each fault step's window
     * @param lastRecovered when the last step had settled: sends due later are "after"
     */
    public LatencySplit(List<TimedSend> sends, List<Window> faults, long lastRecovered) {
        for (TimedSend s : sends) {
            if (!s.acked()) {
                continue;
            }
            long micros = Math.min(MAX_MICROS, Math.max(0, TimeUnit.NANOSECONDS.toMicros(s.latencyNanos())));
            if (faults.stream().anyMatch(w -> w.contains(s.intendedNanos()))) {
                during.recordValue(micros);
            } else if (s.intendedNanos() > lastRecovered) {
                after.recordValue(micros);
            } else {
                between.recordValue(micros);
            }
        }
    }

    public Histogram during() {
        return during;
    }

    public Histogram between() {
        return between;
    }

    public Histogram after() {
        return after;
    }

    /** {@code count, p50, p90, p99, p99.9, max} in milliseconds, or dashes when empty. */
    public static String row(String label, Histogram h) {
        if (h.getTotalCount() == 0) {
            return String.format("  %-24s %8d %8s %8s %8s %8s %8s", label, 0, "-", "-", "-", "-", "-");
        }
        return String.format("  %-24s %8d %8.0f %8.0f %8.0f %8.0f %8.0f", label, h.getTotalCount(), ms(h.getValueAtPercentile(50)),
                ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()));
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
