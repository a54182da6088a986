package dev.parley.ops.broker;

import dev.parley.schemas.config.Env;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How a local broker is started: the single node of {@code parley start}, or one node of {@code parley cluster}
 * ({@link #fromEnv}, in its own JVM: {@link BrokerMain}).
 *
 * @param dataDir        where Kafka keeps its log and metadata (formatted on first start, reused after)
 * @param bindHost       address the listeners bind to, e.g. {@code 127.0.0.1}; {@code 0.0.0.0} binds every interface
 * @param advertisedHost host clients are told to connect to (used when {@code bindHost} is a wildcard)
 * @param clientPort     PLAINTEXT port for clients; 0 picks an ephemeral port
 * @param controllerPort CONTROLLER (KRaft) port; 0 picks a free port at start
 * @param startTimeout   how long to wait for the broker to answer {@code describeCluster}
 * @param overrides      further broker properties, applied last (they win over Parley's defaults)
 * @param membership     node id, controller quorum and cluster id; {@link ClusterMembership#single()} by default
 */
public record BrokerSettings(Path dataDir, String bindHost, String advertisedHost, int clientPort, int controllerPort,
                             Duration startTimeout, Map<String, String> overrides, ClusterMembership membership) {

    public static final String LOCALHOST = "127.0.0.1";

    public BrokerSettings {
        Objects.requireNonNull(dataDir, "dataDir");
        bindHost = bindHost == null || bindHost.isBlank() ? LOCALHOST : bindHost.trim();
        if (advertisedHost == null || advertisedHost.isBlank()) {
            advertisedHost = isWildcard(bindHost) ? LOCALHOST : bindHost;
        }
        checkPort("clientPort", clientPort);
        checkPort("controllerPort", controllerPort);
        startTimeout = startTimeout == null ? Duration.ofSeconds(90) : startTimeout;
        overrides = overrides == null ? Map.of() : Map.copyOf(overrides);
        membership = membership == null ? ClusterMembership.single() : membership;
        if (!membership.isSingleNode() && controllerPort == 0) {
            throw new IllegalArgumentException("a node of a multi-node quorum needs a fixed controller port (it is in every"
                    + " node's controller.quorum.voters)");
        }
    }

    /** A single node (the local runner's broker). */
    public BrokerSettings(Path dataDir, String bindHost, String advertisedHost, int clientPort, int controllerPort,
                          Duration startTimeout, Map<String, String> overrides) {
        this(dataDir, bindHost, advertisedHost, clientPort, controllerPort, startTimeout, overrides, ClusterMembership.single());
    }

    /**
     * One node from {@code PARLEY_*} variables (how {@code parley cluster} configures its broker processes):
     * {@code PARLEY_DATA_DIR} (required), {@code PARLEY_BIND_HOST} (127.0.0.1), {@code PARLEY_KAFKA_PORT},
     * {@code PARLEY_CONTROLLER_PORT} (0), {@code PARLEY_BROKER_NODE_ID} (1), {@code PARLEY_BROKER_QUORUM_VOTERS}
     * (itself), {@code PARLEY_BROKER_CLUSTER_ID} (random on format), {@code PARLEY_START_TIMEOUT} (90s) and broker
     * properties as {@code PARLEY_BROKER_CONFIG_*} ({@code PARLEY_BROKER_CONFIG_MIN_INSYNC_REPLICAS=2} is
     * {@code min.insync.replicas=2}).
     */
    public static BrokerSettings fromEnv(Env env) {
        String dataDir = env.str("PARLEY_DATA_DIR", null);
        if (dataDir == null) {
            throw new IllegalArgumentException("PARLEY_DATA_DIR must name the broker's data dir");
        }
        return new BrokerSettings(Path.of(dataDir), env.str("PARLEY_BIND_HOST", LOCALHOST), null,
                env.integer("PARLEY_KAFKA_PORT", 0), env.integer("PARLEY_CONTROLLER_PORT", 0),
                env.duration("PARLEY_START_TIMEOUT", Duration.ofSeconds(90)), env.passThrough("PARLEY_BROKER_CONFIG_"),
                new ClusterMembership(env.integer("PARLEY_BROKER_NODE_ID", ClusterMembership.SINGLE_NODE_ID),
                        env.str("PARLEY_BROKER_QUORUM_VOTERS", null), env.str("PARLEY_BROKER_CLUSTER_ID", null)));
    }

    /** 127.0.0.1, ephemeral ports, no overrides: what tests use. */
    public static BrokerSettings ephemeral(Path dataDir) {
        return new BrokerSettings(dataDir, LOCALHOST, null, 0, 0, null, Map.of());
    }

    public BrokerSettings withPorts(int client, int controller) {
        return new BrokerSettings(dataDir, bindHost, advertisedHost, client, controller, startTimeout, overrides, membership);
    }

    static boolean isWildcard(String host) {
        return "0.0.0.0".equals(host) || "::".equals(host) || "[::]".equals(host);
    }

    private static void checkPort(String name, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be between 0 and 65535, got " + port);
        }
    }
}
