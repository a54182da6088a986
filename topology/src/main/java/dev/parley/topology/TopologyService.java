package dev.parley.topology;

import dev.parley.avro.event.ChannelEvent;
import dev.parley.schemas.serde.ParleyAvroSerde;
import dev.parley.schemas.topics.TopicProvisioner;
import dev.parley.topology.metrics.MetricsHandler;
import dev.parley.topology.metrics.TopologyMetrics;
import dev.parley.api.query.ChannelQueries;
import dev.parley.api.query.QueryClient;
import dev.parley.topology.query.QueryHttpHandler;
import dev.parley.topology.query.QueryService;
import dev.parley.topology.query.RpcSecret;
import dev.parley.topology.rebuild.StateGuard;
import dev.parley.topology.routing.Router;
import dev.parley.topology.routing.RouterMetrics;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running topology instance: provisions topics, runs the Streams application and serves the query RPC; unless
 * {@code PARLEY_ROUTER_ENABLED=false}, runs the router beside it ({@link Router}, a second Streams application).
 */
public final class TopologyService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopologyService.class);

    private final TopologyConfig config;
    private final KafkaStreams streams;
    private final Server rpc;
    private final QueryService queries;
    private final HostInfo self;
    private final TopologyMetrics metrics;
    private final Router router;

    private TopologyService(TopologyConfig config, KafkaStreams streams, Server rpc, QueryService queries, HostInfo self,
                            TopologyMetrics metrics, Router router) {
        this.config = config;
        this.streams = streams;
        this.rpc = rpc;
        this.queries = queries;
        this.self = self;
        this.metrics = metrics;
        this.router = router;
    }

    /**
     * Checks the settings and the cluster, provisions topics, binds the RPC port, then starts the Streams
     * application (returns without waiting for RUNNING). Refuses to start (IllegalStateException, saying what to
     * do) with a query RPC open beyond loopback without a secret, on a cluster without transaction version 2
     * (KIP-890), and on an empty state next to a log that holds events (state from an older version: rebuild it).
     */
    public static TopologyService start(TopologyConfig config) {
        config.requireSafeRpc();
        Map<String, Object> adminConfig = new java.util.HashMap<>(config.kafkaOverrides());
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        try (Admin admin = Admin.create(adminConfig)) {
            TopicProvisioner provisioner = new TopicProvisioner(admin, config.topics(), config.topicSettings());
            provisioner.requireTransactionVersion2();
            provisioner.provision();
            StateGuard.check(admin, config);
        }
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(config.rpcBindHost());
        connector.setPort(config.rpcPort());
        server.addConnector(connector);
        try {
            connector.open(); // bind first: application.server must carry the real port
        } catch (Exception e) {
            throw new IllegalStateException("cannot listen on " + config.rpcBindHost() + ":" + config.rpcPort()
                    + " for the topology's query RPC (PARLEY_TOPOLOGY_RPC_PORT): " + e.getMessage(), e);
        }
        HostInfo self = new HostInfo(config.advertisedHost(), connector.getLocalPort());

        Topology topology = TopologyFactory.build(config.topics(), config.serdeConfig(), config.idempotencyWindow(), config.applicationId());
        Properties props = StreamsProperties.of(config, self.host() + ":" + self.port());
        KafkaStreams streams = new KafkaStreams(topology, props);
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread failed; replacing it (the failed transaction is aborted and its records are retried)", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> LOG.info("topology {} -> {}", before, now));

        QueryClient base = new QueryClient(List.of(URI.create("http://" + self.host() + ":" + self.port())), Duration.ofSeconds(5),
                config.rpcSecret());
        Map<HostInfo, ChannelQueries> remotes = new ConcurrentHashMap<>();
        ParleyAvroSerde<ChannelEvent> events = ParleyAvroSerde.forValue(ChannelEvent.class, config.serdeConfig());
        QueryService queries = new QueryService(streams, self, events.deserializer(),
                h -> remotes.computeIfAbsent(h, x -> base.forwardingTo(URI.create("http://" + x.host() + ":" + x.port()))),
                Duration.ofSeconds(10));
        TopologyMetrics metrics = new TopologyMetrics(config.applicationId(), self.host() + ":" + self.port());
        metrics.bind(streams, Duration.ofSeconds(15));
        server.setHandler(new MetricsHandler(metrics, new QueryHttpHandler(queries, () -> streams.state().name(),
                RpcSecret.of(config.rpcSecret()))));
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the query RPC: " + e.getMessage(), e);
        }
        streams.start();
        Router router = null;
        if (config.router().enabled()) {
            try {
                router = Router.start(config, config.router(), new RouterMetrics(metrics.registry()));
            } catch (RuntimeException e) {
                streams.close(Duration.ofSeconds(30));
                try {
                    server.stop();
                } catch (Exception stop) {
                    e.addSuppressed(stop);
                }
                throw e;
            }
        }
        LOG.info("topology {} started: query RPC on {}:{}, state dir {}, commit interval {} ms", config.applicationId(),
                self.host(), self.port(), config.stateDir().toAbsolutePath(), config.commitInterval().toMillis());
        return new TopologyService(config, streams, server, queries, self, metrics, router);
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** In-process access to the same queries the RPC serves. */
    public ChannelQueries queries() {
        return queries;
    }

    public URI rpcUrl() {
        return URI.create("http://" + self.host() + ":" + self.port());
    }

    /** Whether the topology, and the router when it is enabled, are RUNNING. */
    public boolean isRunning() {
        return streams.state() == KafkaStreams.State.RUNNING && (router == null || router.isRunning());
    }

    /** The router run beside the topology ({@code PARLEY_ROUTER_ENABLED}), if enabled. */
    public java.util.Optional<Router> router() {
        return java.util.Optional.ofNullable(router);
    }

    public TopologyConfig config() {
        return config;
    }

    /** What {@code /metrics} on the query RPC port serves. */
    public TopologyMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        // Leave the group on a clean stop, so the partitions move to the other instances (or to this one
        // restarting) at once instead of after the session timeout. The metrics stop reading the stores first.
        metrics.stopStreamsMetrics();
        if (router != null) {
            router.close(); // first: it reads the log the topology writes
        }
        streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        try {
            rpc.stop();
        } catch (Exception e) {
            LOG.warn("query RPC did not stop cleanly: {}", e.getMessage());
        }
        metrics.close();
    }
}
