package dev.parley.topology.routing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The router's meters, in the topology's registry (served on {@code /metrics}, docs/operations.md "Metrics"): copies
 * written, membership broadcasts, routes started and expired, and the routes held by this instance's tasks.
 */
public final class RouterMetrics {

    public static final String COPIES = "parley_router_copies";
    public static final String BROADCASTS = "parley_router_membership_broadcasts";
    public static final String STARTED = "parley_router_routes_started";
    public static final String EXPIRED = "parley_router_routes_expired";
    public static final String HELD = "parley_router_routes_held";

    private final Counter copies;
    private final Counter broadcasts;
    private final Counter started;
    private final Counter expired;
    private final Map<String, Long> heldByTask = new ConcurrentHashMap<>();

    public RouterMetrics(MeterRegistry registry) {
        copies = Counter.builder(COPIES).description("events copied to a gateway that follows their channel").register(registry);
        broadcasts = Counter.builder(BROADCASTS)
                .description("events that change membership, written once to every deliveries partition").register(registry);
        started = Counter.builder(STARTED).description("routes added or restarted (a route-started marker written)").register(registry);
        expired = Counter.builder(EXPIRED).description("routes dropped because their lease ran out").register(registry);
        Gauge.builder(HELD, heldByTask, m -> m.values().stream().mapToLong(Long::longValue).sum())
                .description("routes (channel, gateway) held by this instance's router tasks").strongReference(true).register(registry);
    }

    public void copied(int count) {
        copies.increment(count);
    }

    public void broadcast() {
        broadcasts.increment();
    }

    public void started() {
        started.increment();
    }

    public void expired(int count) {
        expired.increment(count);
    }

    /** The routes one task holds now ({@code null}: the task closed). */
    public void held(String task, Long routes) {
        if (routes == null) {
            heldByTask.remove(task);
        } else {
            heldByTask.put(task, routes);
        }
    }
}
