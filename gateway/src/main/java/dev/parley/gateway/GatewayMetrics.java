package dev.parley.gateway;

import dev.parley.gateway.hub.CatchUp;
import dev.parley.gateway.hub.SessionStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/** The gateway's Micrometer meters, exposed in Prometheus format on {@code /metrics} (docs/operations.md). */
public final class GatewayMetrics implements SessionStats, CatchUp.Listener {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicInteger connections = new AtomicInteger();
    private final Counter sends;
    private final Counter acks;
    private final Counter delivered;
    private final Counter resyncs;
    private final Counter charsSent;
    private final Counter eventsDelivered;
    private final Counter eventFrames;
    private final Counter catchUpPages;
    private final Counter catchUpEvents;
    private final Timer sendToAck;
    private final List<LongSupplier> counted = new CopyOnWriteArrayList<>();

    public GatewayMetrics(String gatewayId) {
        registry.config().commonTags("gateway", gatewayId);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        Gauge.builder("parley_gateway_connections", connections, AtomicInteger::get)
                .description("open WebSocket connections").register(registry);
        sends = Counter.builder("parley_gateway_sends").description("send frames and REST posts received").register(registry);
        acks = Counter.builder("parley_gateway_acks").description("sends acknowledged after commit").register(registry);
        delivered = Counter.builder("parley_gateway_frames_sent").description("frames queued to clients (events and replies)").register(registry);
        charsSent = Counter.builder("parley_gateway_frame_chars_sent").description("characters of frames queued to clients (about bytes)").register(registry);
        eventsDelivered = Counter.builder("parley_gateway_events_delivered").description("events that went out live to connections (one per event per connection)").register(registry);
        eventFrames = Counter.builder("parley_gateway_event_frames").description("frames that carried live events: event, or a batched events frame").register(registry);
        resyncs = Counter.builder("parley_gateway_resyncs").description("connections told to resync (slow consumers)").register(registry);
        catchUpPages = Counter.builder("parley_gateway_catchup_pages").description("catch-up pages fetched from the topology").register(registry);
        catchUpEvents = Counter.builder("parley_gateway_catchup_events").description("events replayed by catch-up").register(registry);
        sendToAck = Timer.builder("parley_gateway_send_ack_latency").description("send received -> ack sent (after commit)")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /**
     * A gauge read from {@code value} at each scrape. Held strongly: Micrometer keeps only a weak reference to a
     * gauge's object by default, and a method reference like {@code tail::lag} has no other holder, so the
     * gauge read NaN after the first garbage collection.
     */
    public void gauge(String name, String description, LongSupplier value) {
        Gauge.builder(name, value, v -> (double) v.getAsLong()).description(description).strongReference(true).register(registry);
    }

    /**
     * A counter read from {@code value} (a count kept elsewhere that only grows) at each scrape. Micrometer holds a
     * function counter's object weakly and has no switch for it: the metrics hold it.
     */
    public void counter(String name, String description, LongSupplier value) {
        counted.add(value);
        FunctionCounter.builder(name, value, v -> (double) v.getAsLong()).description(description).register(registry);
    }

    public void connectionOpened() {
        connections.incrementAndGet();
    }

    public void connectionClosed() {
        connections.decrementAndGet();
    }

    public void send() {
        sends.increment();
    }

    public void ack(long nanos) {
        acks.increment();
        sendToAck.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void command(String type) {
        registry.counter("parley_gateway_commands", "type", type).increment();
    }

    /** One interactive query to the topology (history, catch-up pages, channel lists, membership checks). */
    public void query(String query, String outcome, long nanos) {
        Timer.builder("parley_gateway_query_latency").description("interactive query to the topology's query RPC, as the gateway waits for it")
                .tags("query", query, "outcome", outcome)
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(15))
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    public void error(String code) {
        registry.counter("parley_gateway_errors", "code", code).increment();
    }

    @Override
    public void framesSent() {
        delivered.increment();
    }

    @Override
    public void charsSent(int chars) {
        charsSent.increment(chars);
    }

    @Override
    public void eventsDelivered(int events, int frames) {
        eventsDelivered.increment(events);
        eventFrames.increment(frames);
    }

    @Override
    public void resync() {
        resyncs.increment();
    }

    @Override
    public void page(int events) {
        catchUpPages.increment();
        catchUpEvents.increment(events);
    }

    public String scrape() {
        return registry.scrape();
    }
}
