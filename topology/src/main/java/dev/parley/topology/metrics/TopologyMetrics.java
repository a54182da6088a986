package dev.parley.topology.metrics;

import dev.parley.api.metrics.StreamsMeters;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The topology's Micrometer meters, served in Prometheus format on {@code /metrics} of the query RPC port
 * (docs/operations.md "Metrics"): Kafka Streams' own metrics (threads, tasks, stores, its clients' lag)
 * through {@link StreamsMeters}, the JVM, and the interactive-query latency of
 * the query RPC ({@value #QUERY_LATENCY}, by query and outcome).
 */
public final class TopologyMetrics implements AutoCloseable {

    public static final String QUERY_LATENCY = "parley_topology_query_latency";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private StreamsMeters streamsMetrics;

    public TopologyMetrics(String applicationId, String instance) {
        registry.config().commonTags("application", applicationId, "instance", instance);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
    }

    /**
     * Binds Kafka Streams' metrics. Metrics that appear later (tasks after an assignment, stores) are
     * picked up by the binder's periodic refresh.
     */
    public void bind(KafkaStreams streams, Duration refresh) {
        streamsMetrics = new StreamsMeters(streams::metrics, registry, refresh, "parley-topology-metrics");
    }

    /** Records one query of the RPC. */
    public void query(String query, String outcome, long nanos) {
        Timer.builder(QUERY_LATENCY)
                .description("interactive query served by the query RPC (local store, standby or forwarded to the owner)")
                .tags("query", query, "outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public String scrape() {
        return registry.scrape();
    }

    /**
     * Stops reading Kafka Streams' metrics and waits for a refresh under way: call it before closing the
     * KafkaStreams (a refresh reads the stores' gauges while Streams closes the stores; see {@link StreamsMeters}).
     */
    public void stopStreamsMetrics() {
        if (streamsMetrics != null) {
            streamsMetrics.close();
            streamsMetrics = null;
        }
    }

    @Override
    public void close() {
        stopStreamsMetrics();
        registry.close();
    }
}
