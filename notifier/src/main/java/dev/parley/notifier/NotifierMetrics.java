package dev.parley.notifier;

import dev.parley.api.metrics.StreamsMeters;

import dev.parley.avro.notify.Notification;
import dev.parley.notifier.delivery.AttemptResult;
import dev.parley.notifier.delivery.DeliveryListener;
import dev.parley.notifier.streams.NotifierCounters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The notifier's meters on {@code /metrics} (docs/operations.md, "Metrics"): what the Streams side decided
 * (candidates, queued, cancelled by why), what the delivery side did per endpoint (attempts, sent, retried,
 * dead-lettered, circuit state, in flight), and the delay from a message's commit to its delivery.
 */
public final class NotifierMetrics implements NotifierCounters, DeliveryListener, AutoCloseable {

    public static final String COMMIT_TO_DELIVERY = "parley_notifier_commit_to_delivery";
    public static final String DUE_TO_DELIVERY = "parley_notifier_due_to_delivery";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter candidates;
    private final Counter filtered;
    private final Counter queued;
    private final Counter queuedMessages;
    private final Counter skipped;
    private final Timer commitToDelivery;
    private final Timer dueToDelivery;
    private StreamsMeters streamsMetrics;

    public NotifierMetrics(String applicationId) {
        registry.config().commonTags("application", applicationId);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        candidates = Counter.builder("parley_notifier_candidates").description("users found by the triggers, per message").register(registry);
        filtered = Counter.builder("parley_notifier_filtered").description("candidates dropped by preferences or an earlier read").register(registry);
        queued = Counter.builder("parley_notifier_queued").description("notifications written to the notifications topic").register(registry);
        queuedMessages = Counter.builder("parley_notifier_queued_messages").description("messages those notifications are about").register(registry);
        skipped = Counter.builder("parley_notifier_skipped").description("undecodable log records skipped").register(registry);
        commitToDelivery = latency(COMMIT_TO_DELIVERY, "commit of the first message of a notification -> accepted by an endpoint (includes the delay)");
        dueToDelivery = latency(DUE_TO_DELIVERY, "a notification due (first commit + delay) -> accepted by an endpoint");
    }

    private Timer latency(String name, String description) {
        // Client-side p50/p99 (a Prometheus summary), readable straight from /metrics and by the bench.
        return Timer.builder(name).description(description)
                .publishPercentiles(0.5, 0.99)
                .distributionStatisticExpiry(Duration.ofMinutes(2))
                .register(registry);
    }

    public void bind(KafkaStreams streams) {
        streamsMetrics = new StreamsMeters(streams::metrics, registry, Duration.ofSeconds(15), "parley-notifier-metrics");
    }

    /** A gauge read from {@code value}, held strongly: Micrometer's default weak reference reads NaN once the supplier is collected. */
    public void gauge(String name, String description, Supplier<Number> value, String... tags) {
        Gauge.builder(name, value, v -> v.get().doubleValue()).description(description).tags(tags).strongReference(true)
                .register(registry);
    }

    @Override
    public void candidates(int n) {
        candidates.increment(n);
    }

    @Override
    public void filtered() {
        filtered.increment();
    }

    @Override
    public void queued(int messages) {
        queued.increment();
        queuedMessages.increment(messages);
    }

    @Override
    public void cancelled(String why) {
        Counter.builder("parley_notifier_cancelled").description("pending notifications cancelled, by why")
                .tag("why", why).register(registry).increment();
    }

    @Override
    public void threadsPruned(int n) {
        if (n > 0) {
            Counter.builder("parley_notifier_threads_pruned").description("thread participations forgotten after the thread retention")
                    .register(registry).increment(n);
        }
    }

    @Override
    public void skipped() {
        skipped.increment();
    }

    @Override
    public void attempted(String endpoint, AttemptResult result) {
        Counter.builder("parley_notifier_webhook_attempts").description("webhook attempts by endpoint and verdict")
                .tags("endpoint", endpoint, "verdict", result.verdict().name().toLowerCase(Locale.ROOT))
                .register(registry).increment();
    }

    @Override
    public void retried(String endpoint) {
        Counter.builder("parley_notifier_retried").description("failed webhook attempts scheduled for a retry")
                .tag("endpoint", endpoint).register(registry).increment();
    }

    @Override
    public void delivered(String endpoint, Notification n, long atMillis) {
        Counter.builder("parley_notifier_sent").description("notifications accepted by an endpoint")
                .tag("endpoint", endpoint).register(registry).increment();
        commitToDelivery.record(Math.max(0, atMillis - n.getFirstAt().toEpochMilli()), TimeUnit.MILLISECONDS);
        dueToDelivery.record(Math.max(0, atMillis - n.getDueAt().toEpochMilli()), TimeUnit.MILLISECONDS);
    }

    @Override
    public void deadLettered(String endpoint, Notification n, String reason) {
        Counter.builder("parley_notifier_dead_lettered").description("notifications given up on and written to the dead-letter topic")
                .tag("endpoint", endpoint).register(registry).increment();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public String scrape() {
        return registry.scrape();
    }

    /** Stops reading Kafka Streams' metrics (before closing the KafkaStreams: see {@link StreamsMeters}). */
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
