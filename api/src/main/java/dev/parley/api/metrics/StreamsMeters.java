package dev.parley.api.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka Streams application's metrics (threads, tasks, stores, its clients) as Micrometer meters, named as
 * Micrometer's {@code KafkaStreamsMetrics} names them ({@code kafka.stream.thread.process.total} ->
 * {@code kafka_stream_thread_process_total}), refreshed periodically as tasks and stores come and go.
 *
 * <p>Why not that binder: it reads every metric's value on each refresh to decide whether to bind it, and one
 * metric must never be read while Streams may be closing its store: a transactional (KIP-892) store's
 * {@code uncommitted-bytes} gauge reads the store's native RocksDB write batch with no guard, and Streams closes
 * stores on every rebalance. Such a read killed a topology JVM in a chaos run (SIGSEGV in
 * {@code WriteBatch.getDataSize}, from the binder's refresh thread, while the other topology was being killed).
 * This binder never touches the metrics {@link #excluded} names; the rest behave as before. {@link #close} stops
 * the refreshes and waits for one under way: call it before closing the KafkaStreams.
 */
public final class StreamsMeters implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsMeters.class);

    private final Supplier<Map<MetricName, ? extends Metric>> metrics;
    private final MeterRegistry registry;
    private final ScheduledExecutorService refresher;
    private final Map<MetricName, Meter> bound = new HashMap<>();
    private final Set<MetricName> skipped = new HashSet<>();

    /**
     * @param metrics e.g. {@code streams::metrics}
     * @param thread  the refresh thread's name
     */
    public StreamsMeters(Supplier<Map<MetricName, ? extends Metric>> metrics, MeterRegistry registry, Duration refresh, String thread) {
        this.metrics = metrics;
        this.registry = registry;
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, thread);
            t.setDaemon(true);
            return t;
        });
        refresh();
        refresher.scheduleWithFixedDelay(this::refresh, refresh.toMillis(), refresh.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Metrics never read: a store's uncommitted bytes (see the class comment). */
    public static boolean excluded(MetricName name) {
        return name.name().equals("uncommitted-bytes");
    }

    /** Binds the metrics that appeared since the last refresh, removes those that went away. */
    synchronized void refresh() {
        try {
            Map<MetricName, ? extends Metric> now = metrics.get();
            for (Map.Entry<MetricName, ? extends Metric> e : now.entrySet()) {
                MetricName name = e.getKey();
                if (!bound.containsKey(name) && !skipped.contains(name)) {
                    bind(name, e.getValue());
                }
            }
            bound.entrySet().removeIf(e -> {
                if (now.containsKey(e.getKey())) {
                    return false;
                }
                registry.remove(e.getValue());
                return true;
            });
            skipped.retainAll(now.keySet());
        } catch (RuntimeException e) {
            LOG.warn("could not refresh the Kafka Streams meters: {}", e.toString());
        }
    }

    private void bind(MetricName name, Metric metric) {
        if (excluded(name) || !(metric.metricValue() instanceof Number)) {
            skipped.add(name); // never read again (excluded), or not a number (a version string, a state name)
            return;
        }
        String meter = meterName(name);
        List<Tag> tags = name.tags().entrySet().stream().map(t -> Tag.of(t.getKey(), t.getValue())).toList();
        try {
            Meter m = cumulative(metric)
                    ? FunctionCounter.builder(meter, metric, StreamsMeters::value).description(name.description()).tags(tags).register(registry)
                    : Gauge.builder(meter, metric, StreamsMeters::value).description(name.description()).tags(tags)
                            .strongReference(true).register(registry);
            bound.put(name, m);
        } catch (IllegalArgumentException e) {
            // the same name with other tag keys (Prometheus allows one set per name): keep the first
            skipped.add(name);
        }
    }

    /**
     * Counted rather than sampled, by the rule Micrometer's binder uses (the same meter types, so the same
     * Prometheus names): a cumulative sum or count, or, when the metric has no measurable, a name ending in
     * {@code total} or {@code count}.
     */
    static boolean cumulative(Metric metric) {
        Class<?> measurable = null;
        if (metric instanceof KafkaMetric km) {
            try {
                measurable = km.measurable().getClass();
            } catch (IllegalStateException notMeasurable) {
                // a gauge
            }
        }
        if (measurable == null) {
            String n = metric.metricName().name();
            return n.endsWith("total") || n.endsWith("count");
        }
        return measurable == CumulativeSum.class || measurable == CumulativeCount.class;
    }

    /** {@code kafka.} + the group without its {@code -metrics} suffix + the name, dashes as dots. */
    static String meterName(MetricName name) {
        String group = name.group().endsWith("-metrics") ? name.group().substring(0, name.group().length() - "-metrics".length()) : name.group();
        return ("kafka." + group + "." + name.name()).replace('-', '.');
    }

    private static double value(Metric m) {
        return m.metricValue() instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /** Stops the refreshes and waits for one under way; the meters stay registered but are no longer refreshed. */
    @Override
    public void close() {
        refresher.shutdownNow();
        try {
            refresher.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            bound.values().forEach(registry::remove); // a scrape after this never reads a closing store
            bound.clear();
        }
    }
}
