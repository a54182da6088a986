package dev.parley.ops.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Everything one benchmark run measured, keyed by workload or baseline. */
final class Results {

    /** Scalar results, e.g. {@code W2.sends_per_s}. */
    final Map<String, Double> numbers = new LinkedHashMap<>();
    /** Latency percentiles by path, e.g. {@code W1 send->ack}. */
    final Map<String, LatencyRecorder.Summary> latencies = new LinkedHashMap<>();
    /** The histograms behind them, for the plot. */
    final Map<String, Histogram> histograms = new LinkedHashMap<>();
    /** CPU, heap and GC of each process during each measured window. */
    final Map<String, List<ProcessStats.Delta>> processes = new LinkedHashMap<>();
    /** Loss/duplicate/order accounting of each workload. */
    final Map<String, DeliveryLedger.Totals> ledgers = new LinkedHashMap<>();
    /** Hot methods per process from JFR, when recorded. */
    final Map<String, List<String>> profiles = new LinkedHashMap<>();
    /** Free-form observations (setup failures, skipped parts, ...). */
    final List<String> notes = new ArrayList<>();
    /** Measured windows in wall-clock time, for counting the transactions committed in them. */
    final List<TxnCensus.Span> spans = new ArrayList<>();
    /** The transactions committed in each span, from the broker's log (embedded runs). */
    final List<TxnCensus.Summary> transactions = new ArrayList<>();

    synchronized void put(String key, double value) {
        numbers.put(key, value);
    }

    synchronized double get(String key) {
        return numbers.getOrDefault(key, Double.NaN);
    }

    synchronized void latency(LatencyRecorder r) {
        latencies.put(r.name(), r.summary());
        histograms.put(r.name(), r.snapshot());
    }

    /** Remembers a measured window of {@code app}'s transactions, given in {@link System#nanoTime()}. */
    synchronized void span(String name, String app, long startNanos, long endNanos) {
        long offset = System.currentTimeMillis() - System.nanoTime() / 1_000_000;
        spans.add(new TxnCensus.Span(name, app, offset + startNanos / 1_000_000, offset + endNanos / 1_000_000));
    }

    synchronized void note(String note) {
        notes.add(note);
    }
}
