package dev.parley.gateway;

import dev.parley.gateway.admission.Admission;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.user.UserEvent;
import dev.parley.gateway.auth.DevTokens;
import dev.parley.gateway.auth.SecretPolicy;
import dev.parley.gateway.auth.TokenVerifier;
import dev.parley.gateway.client.ClientProtocol;
import dev.parley.gateway.client.CommandService;
import dev.parley.gateway.client.FrameReader;
import dev.parley.gateway.client.Handshake;
import dev.parley.gateway.client.ReadService;
import dev.parley.gateway.client.WebSocketEndpoint;
import dev.parley.gateway.hub.CatchUp;
import dev.parley.gateway.hub.ChannelFollowing;
import dev.parley.gateway.hub.Hub;
import dev.parley.gateway.hub.RecentMemberships;
import dev.parley.gateway.kafka.CommandBus;
import dev.parley.gateway.kafka.DeliveryTail;
import dev.parley.gateway.kafka.LogTail;
import dev.parley.gateway.presence.SharedChannelsCache;
import dev.parley.gateway.routing.RouteService;
import dev.parley.gateway.presence.TopologySharedChannels;
import dev.parley.gateway.presence.PresenceService;
import dev.parley.gateway.typing.TypingService;
import dev.parley.gateway.rest.RestApi;
import dev.parley.api.query.ChannelQueries;
import dev.parley.api.query.QueryClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.UnaryOperator;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import dev.parley.gateway.http.HeaderDeadline;
import dev.parley.gateway.http.PerAddressLimit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.DefaultHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running gateway: Kafka clients positioned first, then the WebSocket + REST server. */
public final class GatewayServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);

    private final GatewayConfig config;
    private final Server server;
    private final ServerConnector connector;
    private final CommandBus bus;
    private final LogTail<ChannelEvent> tail;
    private final DeliveryTail deliveries;
    private final RouteService routes;
    private final LogTail<UserEvent> userTail;
    private final Hub hub;
    private final ScheduledExecutorService workers;
    private final ScheduledExecutorService handshakes;
    private final GatewayMetrics metrics;
    private final Admission admission;
    private final PresenceService presence;
    private final TypingService typing;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private GatewayServer(GatewayConfig config, Server server, ServerConnector connector, CommandBus bus, LogTail<ChannelEvent> tail,
                          DeliveryTail deliveries, RouteService routes, LogTail<UserEvent> userTail, Hub hub, ScheduledExecutorService workers,
                          ScheduledExecutorService handshakes, GatewayMetrics metrics, Admission admission, PresenceService presence, TypingService typing) {
        this.admission = admission;
        this.config = config;
        this.server = server;
        this.connector = connector;
        this.bus = bus;
        this.tail = tail;
        this.deliveries = deliveries;
        this.routes = routes;
        this.userTail = userTail;
        this.hub = hub;
        this.workers = workers;
        this.handshakes = handshakes;
        this.metrics = metrics;
        this.presence = presence;
        this.typing = typing;
    }

    public static GatewayServer start(GatewayConfig config) {
        return start(config, null);
    }

    /**
     * @param content handler for everything that is not the WebSocket, the API, health or metrics (e.g. the
     *                browser page); null for none
     */
    public static GatewayServer start(GatewayConfig config, Handler content) {
        return start(config, content, UnaryOperator.identity());
    }

    /**
     * @param queriesDecorator wraps the client of the topology's queries (tests put a fault-injecting decorator around the
     *                real one here)
     */
    public static GatewayServer start(GatewayConfig config, Handler content, UnaryOperator<ChannelQueries> queriesDecorator) {
        String keyProblem = SecretPolicy.problem(config.devMode(), config.jwtSecret(), config.jwksUrl());
        if (keyProblem != null) {
            throw new IllegalStateException("the gateway refuses to start: " + keyProblem);
        }
        TokenVerifier tokens = config.jwksUrl() != null
                ? TokenVerifier.jwks(config.jwksUrl(), config.jwtIssuer(), config.jwtAudience(), config.jwtClockSkew())
                : TokenVerifier.hs256(config.jwtSecret(), config.jwtIssuer(), config.jwtAudience(), config.jwtClockSkew());
        DevTokens devTokens = config.devMode() && config.jwtSecret() != null
                ? new DevTokens(config.jwtSecret(), config.jwtIssuer(), config.jwtAudience()) : null;
        GatewayMetrics metrics = new GatewayMetrics(config.gatewayId());
        ScheduledThreadPoolExecutor workers = daemonPool("parley-gw-worker-", config.workerThreads());
        ScheduledThreadPoolExecutor handshakes = daemonPool("parley-gw-handshake-", config.handshakeThreads());
        ChannelQueries queries = new TimedQueries(queriesDecorator.apply(new QueryClient(config.topologyUrls(), Duration.ofSeconds(15),
                config.topologyRpcSecret())), metrics);
        CatchUp catchUp = new CatchUp(queries, handshakes, config.catchUpPage(), config.maxCatchUp(), metrics);
        // Routed fan-out: this start's incarnation marks its routes, so the router starts them anew after a restart.
        long incarnation = System.currentTimeMillis();
        RouteService routes = config.fanout().routed() ? RouteService.start(config, incarnation) : null;
        Hub hub = new Hub(catchUp, new RecentMemberships(Duration.ofMinutes(5), Clock.systemUTC()), config.delivery(), workers,
                () -> System.nanoTime() / 1_000_000, routes == null ? ChannelFollowing.NONE : routes);
        // The ephemeral path first: other gateways count this one's users once its registry heartbeat is out.
        PresenceService presence = PresenceService.start(config, Clock.systemUTC(),
                new TopologySharedChannels(queries, hub.recent(), new SharedChannelsCache(config.presence().visibilityCache(), 100_000),
                        Clock.systemUTC()), hub.recent(), metrics.registry());
        TypingService typing = new TypingService(config, hub, Clock.systemUTC(), metrics.registry());
        CommandBus bus = new CommandBus(config);
        LogTail<ChannelEvent> tail = null;
        DeliveryTail deliveries = null;
        if (routes == null) {
            tail = LogTail.ofLog(config, e -> {
                hub.publish(e);
                presence.onEvent(e);
            }, hub::endOfRead);
            metrics.gauge("parley_gateway_log_lag", "records of the committed log not yet read by this gateway", tail::lag);
            metrics.counter("parley_gateway_log_events_decoded", "committed events this gateway decoded (every event of the log in tail mode)",
                    tail::eventsSeen);
        } else {
            deliveries = new DeliveryTail(config, incarnation, new DeliveryTail.Sink() {
                @Override
                public void event(ChannelEvent e) {
                    if (hub.publishOnce(e)) {
                        presence.onEvent(e);
                    }
                }

                @Override
                public void routeStarted(String channel, long head) {
                    hub.routeStarted(channel, head);
                    routes.routeStarted(channel);
                }

                @Override
                public void endOfRead() {
                    hub.endOfRead();
                }
            });
            metrics.gauge("parley_gateway_log_lag", "records of this gateway's deliveries partition not yet read by it", deliveries::lag);
            metrics.counter("parley_gateway_log_events_decoded", "committed events this gateway decoded (routed: those for it or for every gateway)",
                    deliveries::eventsSeen);
            metrics.counter("parley_gateway_deliveries_decoded", "records of this gateway's deliveries partition it decoded (for it or for every gateway)",
                    deliveries::decoded);
            metrics.counter("parley_gateway_deliveries_skipped", "records of this gateway's deliveries partition skipped by their key (for other gateways)",
                    deliveries::skipped);
            metrics.gauge("parley_gateway_routes", "channels this gateway holds a route for (lingering ones included)", routes::routes);
            metrics.gauge("parley_gateway_routes_unanswered", "new routes no router answered within "
                    + RouteService.ROUTER_PATIENCE.toSeconds() + " s (above 0: no router copies events here)", routes::unanswered);
        }
        LogTail<UserEvent> userTail = LogTail.ofUserEvents(config, hub::publish);
        metrics.gauge("parley_gateway_handshake_queue", "hellos and catch-ups waiting for a handshake thread",
                () -> handshakes.getQueue().size());
        metrics.gauge("parley_gateway_pending_commands", "commands waiting for their committed result", () -> bus.pendingCount());
        Admission admission = new Admission(config.admission(), System::nanoTime);
        metrics.gauge("parley_gateway_inflight_commands", "admitted commands waiting for their outcome", admission::inFlight);
        workers.scheduleWithFixedDelay(() -> admission.observeOldestPending(bus.oldestPendingMillis()), 100, 100, TimeUnit.MILLISECONDS);
        workers.scheduleWithFixedDelay(admission::sweep, 30, 30, TimeUnit.SECONDS);
        CommandService commands = new CommandService(config, bus, admission, metrics);
        ReadService reads = new ReadService(queries, hub.recent());
        Handshake handshake = new Handshake(config, tokens, hub, queries, workers, metrics, presence);
        ClientProtocol protocol = new ClientProtocol(new FrameReader(config.maxFrameBytes()), handshake, commands, reads,
                queries, hub, admission, config.maxResumeChannels(), metrics, presence, typing);

        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("parley-gw-http");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        HttpConnectionFactory http1 = new HttpConnectionFactory(http);
        ServerConnector connector = new ServerConnector(server, http1);
        connector.setHost(config.bindHost());
        connector.setPort(config.port());
        connector.setIdleTimeout(config.http().idleTimeout().toMillis());
        http1.addEventListener(new HeaderDeadline(connector.getScheduler(), config.http().headerTimeout()));
        connector.addBean(new PerAddressLimit(config.http().maxConnectionsPerIp()));
        server.addBean(new NetworkConnectionLimit(config.http().maxConnections(), server));
        server.addConnector(connector);
        Handler api = RestApi.routes(config, tokens, devTokens, commands, reads, admission, metrics,
                content == null ? new DefaultHandler(false, false) : content);
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, container -> {
            container.setMaxTextMessageSize(Math.max(1 << 20, 4L * config.maxFrameBytes()));
            container.setIdleTimeout(Duration.ofMinutes(5));
            container.addMapping("/ws", (req, resp, cb) -> new WebSocketEndpoint(protocol, handshakes, workers, config.maxQueuedBytes(), metrics, admission));
        });
        ws.setHandler(api);
        server.setHandler(ws);
        try {
            server.start();
        } catch (Exception e) {
            closeQuietly(tail);
            closeQuietly(deliveries);
            closeQuietly(routes);
            userTail.close();
            bus.close();
            typing.close();
            presence.close();
            workers.shutdownNow();
            handshakes.shutdownNow();
            throw new IllegalStateException("cannot start the gateway on " + config.bindHost() + ":" + config.port()
                    + " (PARLEY_GATEWAY_PORT): " + e.getMessage(), e);
        }
        LOG.info("gateway {} listening on {}:{} (WebSocket /ws), topology at {}", config.gatewayId(), config.bindHost(),
                connector.getLocalPort(), config.topologyUrls());
        return new GatewayServer(config, server, connector, bus, tail, deliveries, routes, userTail, hub, workers, handshakes, metrics, admission,
                presence, typing);
    }

    public int port() {
        return connector.getLocalPort();
    }

    public URI httpUrl() {
        return URI.create("http://127.0.0.1:" + port());
    }

    public URI wsUrl() {
        return URI.create("ws://127.0.0.1:" + port() + "/ws");
    }

    public GatewayConfig config() {
        return config;
    }

    public Hub hub() {
        return hub;
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    public Admission admission() {
        return admission;
    }

    /** The tail of the committed log; null in routed fan-out ({@link #deliveries()}). */
    public LogTail<ChannelEvent> tail() {
        return tail;
    }

    /** The tail of this gateway's routed deliveries; null unless {@code PARLEY_FANOUT=routed}. */
    public DeliveryTail deliveries() {
        return deliveries;
    }

    /** This gateway's routes; null unless {@code PARLEY_FANOUT=routed}. */
    public RouteService routes() {
        return routes;
    }

    /** The ephemeral path's presence side (the connection registry as this gateway reads it). */
    public PresenceService presence() {
        return presence;
    }

    /**
     * Stops: clients get 1001 (going away) and reconnect elsewhere; nothing is lost. The gateway's users leave the
     * connection registry at once.
     */
    @Override
    public void close() {
        stop(true);
    }

    /**
     * Stops without removing this gateway's routes, as a killed process would leave them (the router drops them when
     * their lease ends): for tests that stand for a SIGKILL. Everything else stops as {@link #close()} does.
     */
    public void closeWithoutRouteRemoval() {
        if (routes != null) {
            routes.abandon();
        }
        stop(false);
    }

    private void stop(boolean removeRoutes) {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("gateway did not stop cleanly: {}", e.getMessage());
        }
        presence.close();
        typing.close();
        if (routes != null && removeRoutes) {
            routes.close(); // after the server: the hub let go of every connection, the routes go in one stop
        }
        closeQuietly(tail);
        closeQuietly(deliveries);
        userTail.close();
        bus.close();
        workers.shutdownNow();
        handshakes.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
            handshakes.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Daemon threads named {@code prefix + n}; a cancelled task leaves the queue at once. */
    private static ScheduledThreadPoolExecutor daemonPool(String prefix, int threads) {
        AtomicInteger n = new AtomicInteger();
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(threads, r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.setRemoveOnCancelPolicy(true);
        return pool;
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("{} did not close cleanly: {}", c.getClass().getSimpleName(), e.toString());
        }
    }
}
