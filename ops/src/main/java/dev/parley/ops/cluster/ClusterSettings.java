package dev.parley.ops.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code parley cluster} (and {@link LocalCluster#start}) brings up on this machine.
 *
 * @param brokers       KRaft nodes (combined broker + controller), 1 to {@value PortPlan#SLOTS}
 * @param topologies    topology instances, 1 to {@value PortPlan#SLOTS}; 2 or more run with one standby replica
 * @param gateways      gateways, 1 to {@value PortPlan#SLOTS}
 * @param dataDir       every node's data and log file live under here; kept on stop
 * @param portBase      0: every port ephemeral (picked once, kept across restarts); else the fixed layout of
 *                      {@link PortPlan#fromBase}
 * @param partitions    partitions of Parley's topics
 * @param startTimeout  how long one node may take to become ready
 * @param stopTimeout   how long one node may take to stop on SIGTERM before it is killed
 * @param javaOptions   JVM options added to every node's (after its role's heap, so they win)
 * @param classpath     the nodes' classpath: this JVM's by default (ops/target/classes + ops/target/lib with ./parley)
 * @param extraEnv      environment of every node, on top of this process's and under the cluster's own settings
 *                      (e.g. {@code PARLEY_COMMIT_INTERVAL})
 */
public record ClusterSettings(int brokers, int topologies, int gateways, Path dataDir, int portBase, int partitions,
                              Duration startTimeout, Duration stopTimeout, List<String> javaOptions, String classpath,
                              Map<String, String> extraEnv) {

    public static final int DEFAULT_BROKERS = 3;
    public static final int DEFAULT_TOPOLOGIES = 2;
    public static final int DEFAULT_GATEWAYS = 2;
    public static final int DEFAULT_PARTITIONS = 12;

    public ClusterSettings {
        checkCount("brokers", brokers);
        checkCount("topologies", topologies);
        checkCount("gateways", gateways);
        dataDir = Objects.requireNonNull(dataDir, "dataDir").toAbsolutePath().normalize();
        PortPlan.checkBase(portBase);
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        }
        startTimeout = startTimeout == null ? Duration.ofMinutes(2) : startTimeout;
        stopTimeout = stopTimeout == null ? Duration.ofSeconds(60) : stopTimeout;
        javaOptions = javaOptions == null ? List.of() : List.copyOf(javaOptions);
        classpath = classpath == null || classpath.isBlank() ? System.getProperty("java.class.path") : classpath;
        extraEnv = extraEnv == null ? Map.of() : Map.copyOf(extraEnv);
    }

    /** The compose topology (3 brokers, 2 topologies, 2 gateways), ephemeral ports, 12 partitions. */
    public static ClusterSettings defaults(Path dataDir) {
        return new ClusterSettings(DEFAULT_BROKERS, DEFAULT_TOPOLOGIES, DEFAULT_GATEWAYS, dataDir, 0, DEFAULT_PARTITIONS,
                null, null, null, null, null);
    }

    public ClusterSettings withNodes(int brokerCount, int topologyCount, int gatewayCount) {
        return new ClusterSettings(brokerCount, topologyCount, gatewayCount, dataDir, portBase, partitions, startTimeout,
                stopTimeout, javaOptions, classpath, extraEnv);
    }

    public ClusterSettings withPortBase(int base) {
        return new ClusterSettings(brokers, topologies, gateways, dataDir, base, partitions, startTimeout, stopTimeout,
                javaOptions, classpath, extraEnv);
    }

    public ClusterSettings withPartitions(int count) {
        return new ClusterSettings(brokers, topologies, gateways, dataDir, portBase, count, startTimeout, stopTimeout,
                javaOptions, classpath, extraEnv);
    }

    public ClusterSettings withTimeouts(Duration start, Duration stop) {
        return new ClusterSettings(brokers, topologies, gateways, dataDir, portBase, partitions, start, stop,
                javaOptions, classpath, extraEnv);
    }

    public ClusterSettings withJavaOptions(List<String> options) {
        return new ClusterSettings(brokers, topologies, gateways, dataDir, portBase, partitions, startTimeout, stopTimeout,
                options, classpath, extraEnv);
    }

    public ClusterSettings withExtraEnv(Map<String, String> env) {
        return new ClusterSettings(brokers, topologies, gateways, dataDir, portBase, partitions, startTimeout, stopTimeout,
                javaOptions, classpath, env);
    }

    /** Replication factor of every topic: 3, or the broker count when smaller (as in compose: RF 3). */
    public short replicationFactor() {
        return (short) Math.min(3, brokers);
    }

    /** {@code min.insync.replicas}: 2 with RF 3 (compose), else 1, so one broker may be down. */
    public int minInsyncReplicas() {
        return replicationFactor() >= 3 ? 2 : 1;
    }

    /** {@code num.standby.replicas} of the topology: 1 when there is another instance to hold it (compose: 1). */
    public int standbyReplicas() {
        return topologies >= 2 ? 1 : 0;
    }

    private static void checkCount(String what, int n) {
        if (n < 1 || n > PortPlan.SLOTS) {
            throw new IllegalArgumentException(what + " must be between 1 and " + PortPlan.SLOTS + ", got " + n);
        }
    }
}
