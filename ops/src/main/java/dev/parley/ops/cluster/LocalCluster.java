package dev.parley.ops.cluster;

import dev.parley.ops.net.Ports;
import dev.parley.schemas.topics.TopicProvisioner;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parley's compose topology as separate local processes from the same build: KRaft brokers, the schema
 * registry, topology instances and gateways, each its own JVM with its own data dir and log file
 * ({@link ClusterPlan} says with which settings). The programmatic face of {@code parley cluster}, and what a
 * fault-injection run drives:
 *
 * <pre>
 * try (LocalCluster cluster = LocalCluster.start(ClusterSettings.defaults(dir))) {
 *     ClusterNode broker = cluster.node("broker-2");
 *     long pid = broker.pid().orElseThrow();
 *     broker.kill();                          // SIGKILL
 *     broker.startAndAwaitReady(timeout);     // the same ports and data
 *     cluster.node("topology-1").pause();     // SIGSTOP; resume() is SIGCONT
 * }
 * </pre>
 *
 * {@link #close()} (also from a shutdown hook, while {@link #start()} runs) stops the nodes in reverse order:
 * gateways, topologies, the registry, then the brokers. Nodes die with this JVM however it ends ({@link ChildMain}).
 */
public final class LocalCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);

    private final ClusterPlan plan;
    private final Map<String, ClusterNode> nodes = new LinkedHashMap<>();
    private volatile boolean closing;
    private volatile long startMillis = -1;
    private volatile ClusterKafka.Setup kafka;

    private LocalCluster(ClusterPlan plan) {
        this.plan = plan;
        for (NodeSpec spec : plan.nodes()) {
            nodes.put(spec.name(), new ClusterNode(spec, plan.settings().classpath()));
        }
    }

    /**
     * Plans a cluster: picks or checks its ports, reads or creates its data dir's identity. Starts nothing.
     *
     * @throws ClusterException when a fixed port is taken or the data dir belongs to another layout
     */
    public static LocalCluster create(ClusterSettings settings) {
        ClusterIdentity identity = ClusterIdentity.loadOrCreate(settings.dataDir(), settings.brokers());
        PortPlan ports;
        if (settings.portBase() == 0) {
            ports = PortPlan.ephemeral(ClusterPlan.HOST, settings.brokers(), settings.topologies(), settings.gateways());
        } else {
            ports = PortPlan.fromBase(settings.portBase(), settings.brokers(), settings.topologies(), settings.gateways());
            for (int port : ports.all()) {
                if (!Ports.isFree(ClusterPlan.HOST, port)) {
                    throw new ClusterException("port " + port + " on " + ClusterPlan.HOST + " is in use; --port-base "
                            + settings.portBase() + " needs " + settings.portBase() + "-" + (settings.portBase() + PortPlan.SPAN - 1)
                            + " free (another cluster still running?). Pick another base, or 0 for ephemeral ports.");
                }
            }
        }
        return new LocalCluster(ClusterPlan.of(settings, ports, identity.clusterId(), System.getenv()));
    }

    /** {@link #create} then {@link #start()}. */
    public static LocalCluster start(ClusterSettings settings) throws InterruptedException {
        return create(settings).start();
    }

    /**
     * Starts every node, one role after the other, and returns when all serve: the brokers (together), then
     * checks {@code transaction.version} 2 and creates Parley's topics, then the registry, the topologies
     * (until RUNNING) and the gateways.
     *
     * @throws ClusterException when a node does not start; what started is stopped first
     */
    public LocalCluster start() throws InterruptedException {
        long t0 = System.nanoTime();
        Duration timeout = plan.settings().startTimeout();
        try {
            startAll(NodeRole.BROKER, timeout);
            if (!closing) {
                kafka = ClusterKafka.setUp(plan.bootstrapServers(), plan.settings(), timeout);
            }
            startAll(NodeRole.REGISTRY, timeout);
            startAll(NodeRole.TOPOLOGY, timeout);
            startAll(NodeRole.GATEWAY, timeout);
        } catch (RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
        startMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        if (!closing) {
            LOG.info("local cluster up in {} ms: {}", startMillis, nodes.values());
        }
        return this;
    }

    private void startAll(NodeRole role, Duration timeout) throws InterruptedException {
        List<ClusterNode> group = nodes(role);
        for (ClusterNode n : group) {
            if (closing) {
                return;
            }
            n.start();
        }
        for (ClusterNode n : group) {
            if (closing) {
                return;
            }
            n.awaitReady(timeout);
        }
    }

    /** Every node, in start order. */
    public List<ClusterNode> nodes() {
        return List.copyOf(nodes.values());
    }

    /** The nodes of one role, in order ({@code broker-1}, {@code broker-2}, ...). */
    public List<ClusterNode> nodes(NodeRole role) {
        return nodes.values().stream().filter(n -> n.role() == role).toList();
    }

    /** A node by name: {@code broker-1}, {@code registry}, {@code topology-2}, {@code gateway-1}. */
    public ClusterNode node(String name) {
        ClusterNode n = nodes.get(name);
        if (n == null) {
            throw new IllegalArgumentException("no node '" + name + "'; the nodes are " + nodes.keySet());
        }
        return n;
    }

    public ClusterPlan plan() {
        return plan;
    }

    public ClusterSettings settings() {
        return plan.settings();
    }

    /** Every broker's address, e.g. {@code 127.0.0.1:19000,127.0.0.1:19001,127.0.0.1:19002}. */
    public String bootstrapServers() {
        return plan.bootstrapServers();
    }

    public URI registryUrl() {
        return plan.registryUrl();
    }

    /** Each gateway's base URL ({@code /} chat page, {@code /ws}, {@code /api/...}). */
    public List<URI> gatewayUrls() {
        return plan.gatewayUrls();
    }

    /** Each topology instance's query RPC base URL. */
    public List<URI> topologyUrls() {
        return plan.topologyUrls();
    }

    public String clusterId() {
        return plan.clusterId();
    }

    /** The finalized {@code transaction.version} checked at start (2), or 0 before. */
    public short transactionVersion() {
        return kafka == null ? 0 : kafka.transactionVersion();
    }

    /** What creating the topics found and did at start, or null before. */
    public TopicProvisioner.Report topics() {
        return kafka == null ? null : kafka.topics();
    }

    /** Milliseconds {@link #start()} took, or -1 before it finished. */
    public long startMillis() {
        return startMillis;
    }

    /** True once {@link #close()} was called. */
    public boolean closing() {
        return closing;
    }

    /**
     * Stops every running node, gateways first and brokers last; each role's nodes together, each with SIGTERM
     * and then SIGKILL after the stop timeout. Data dirs and logs stay. Safe to call twice and from another thread.
     */
    @Override
    public void close() {
        closing = true;
        List<NodeRole> order = new ArrayList<>(List.of(NodeRole.values()));
        Collections.reverse(order);
        for (NodeRole role : order) {
            List<Thread> stoppers = new ArrayList<>();
            for (ClusterNode n : nodes(role)) {
                Thread t = new Thread(() -> {
                    try {
                        n.stop(plan.settings().stopTimeout());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException e) {
                        LOG.warn("stopping {}: {}", n.name(), e.toString());
                    }
                }, "parley-cluster-stop-" + n.name());
                t.start();
                stoppers.add(t);
            }
            for (Thread t : stoppers) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
