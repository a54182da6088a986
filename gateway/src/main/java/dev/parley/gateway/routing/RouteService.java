package dev.parley.gateway.routing;

import dev.parley.gateway.GatewayConfig;
import dev.parley.gateway.hub.ChannelFollowing;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This gateway's routes in routed fan-out: the hub's first/last follower changes and the passing time go to the
 * {@link RouteKeeper} on one thread (in the order the hub made them), and the writes it finds due go to the
 * {@link RoutesWriter}. A clean stop removes every route; {@link #abandon()} stops without a write, as a killed
 * process would (the router drops its routes when their lease ends).
 */
public final class RouteService implements ChannelFollowing, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RouteService.class);

    /** How long a new route may wait for the router's answer before this gateway says no router copies events here. */
    public static final java.time.Duration ROUTER_PATIENCE = java.time.Duration.ofSeconds(30);

    private final RouteKeeper keeper;
    private final RouterWatch router = new RouterWatch(ROUTER_PATIENCE.toMillis());
    private final String gatewayId;
    private volatile int unanswered;
    private final RoutesWriter writer;
    private final ScheduledExecutorService thread;
    private final LongSupplier clock;
    private volatile int routes;

    private RouteService(GatewayConfig config, long incarnation) {
        this.clock = () -> System.nanoTime() / 1_000_000;
        this.keeper = RouteKeeper.of(config.fanout());
        this.gatewayId = config.gatewayId();
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parley-routes-" + config.gatewayId());
            t.setDaemon(true);
            return t;
        });
        try {
            this.writer = new RoutesWriter(config, incarnation, channel -> submit(() -> {
                keeper.putFailed(channel);
                return List.of();
            }));
        } catch (RuntimeException e) {
            thread.shutdownNow();
            throw e;
        }
    }

    /** @param incarnation this gateway process's (when it started, epoch ms): a restart's routes are new routes */
    public static RouteService start(GatewayConfig config, long incarnation) {
        RouteService s = new RouteService(config, incarnation);
        long tick = Math.max(50, Math.min(1_000, config.fanout().refresh().toMillis() / 10));
        s.thread.scheduleWithFixedDelay(() -> s.run(() -> s.keeper.due(s.clock.getAsLong())), tick, tick, TimeUnit.MILLISECONDS);
        s.thread.scheduleWithFixedDelay(s::checkRouter, 1, 1, TimeUnit.SECONDS);
        return s;
    }

    /** The router started the channel's route (its {@code RouteStarted} reached this gateway). */
    public void routeStarted(String channel) {
        router.answered(channel);
    }

    /** New routes the router has not answered within {@link #ROUTER_PATIENCE}, as of the last check (each second). */
    public int unanswered() {
        return unanswered;
    }

    /** New routes the router has not answered yet (overdue or not). */
    public int awaitingRouter() {
        return router.waiting();
    }

    private void checkRouter() {
        RouterWatch.Check c = router.check(clock.getAsLong());
        unanswered = c.overdue();
        if (c.transition() == RouterWatch.Transition.BECAME_OVERDUE) {
            LOG.error("gateway {}: no router answered {} new route(s) within {} s (e.g. channel {}, waiting {} s): no router copies "
                            + "events to this gateway, so its clients get no live events. Is PARLEY_ROUTER_ENABLED=false on the "
                            + "topology, or its router stopped? (metric parley_gateway_routes_unanswered)", gatewayId, c.overdue(),
                    ROUTER_PATIENCE.toSeconds(), c.example(), c.waitedMillis() / 1000);
        } else if (c.transition() == RouterWatch.Transition.ANSWERED_AGAIN) {
            LOG.info("gateway {}: the router answers this gateway's routes again", gatewayId);
        }
    }

    @Override
    public void first(String channel) {
        submit(() -> {
            long now = clock.getAsLong();
            List<RouteWrite> writes = keeper.followed(channel, now);
            if (!writes.isEmpty()) {
                router.asked(channel, now); // a new route: the router answers it with RouteStarted
            }
            return writes;
        });
    }

    @Override
    public void last(String channel) {
        submit(() -> keeper.unfollowed(channel, clock.getAsLong()));
    }

    /** Routes held (lingering ones included), as of the last change. */
    public int routes() {
        return routes;
    }

    public long incarnation() {
        return writer.incarnation();
    }

    private void submit(Supplier<List<RouteWrite>> change) {
        try {
            thread.execute(() -> run(change));
        } catch (RejectedExecutionException e) {
            // stopping: the stop removes every route anyway
        }
    }

    private void run(Supplier<List<RouteWrite>> change) {
        try {
            for (RouteWrite w : change.get()) {
                if (w instanceof RouteWrite.Remove) {
                    router.dropped(w.channel());
                }
                writer.write(w);
            }
            routes = keeper.routes();
        } catch (RuntimeException e) {
            LOG.error("route change failed", e);
        }
    }

    /** A clean stop, after the hub let go of every connection: every route removed, flushed. */
    @Override
    public void close() {
        try {
            thread.submit(() -> {
                keeper.stop().forEach(writer::write);
                routes = 0;
                writer.flush(Duration.ofSeconds(5));
            }).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("routes not removed on stop (they expire by their lease): {}", e.toString());
        }
        thread.shutdownNow();
        writer.close();
    }

    /** Stops without a write, as a killed process would: for tests that stand for a SIGKILL. */
    public void abandon() {
        thread.shutdownNow();
        writer.close(Duration.ZERO);
    }
}
