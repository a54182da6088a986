package dev.parley.ops.cli;

import dev.parley.ops.cluster.ClusterException;
import dev.parley.ops.cluster.ClusterNode;
import dev.parley.ops.cluster.ClusterPlan;
import dev.parley.ops.cluster.ClusterSettings;
import dev.parley.ops.cluster.LocalCluster;
import dev.parley.ops.cluster.NodeRole;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code parley cluster}: the compose topology as local processes, until Ctrl-C. */
@Command(name = "cluster",
        description = {
                "Runs Parley as a cluster of local processes until Ctrl-C, in DEV MODE: KRaft brokers (RF 3, min ISR 2, "
                        + "transaction.version 2), the schema registry, topology instances (1 standby replica) and "
                        + "gateways, each its own JVM with its own data dir and log file, all on 127.0.0.1.",
                "Ctrl-C stops gateways, topologies, the registry, then the brokers; the data dir is kept. The nodes "
                        + "also stop when this process is killed."},
        footer = {"", "Docs: docs/operations.md, section \"Local cluster\"."})
public final class ClusterCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--brokers", paramLabel = "N", defaultValue = "3",
            description = "Kafka nodes (combined broker + controller), 1 to 9. Env PARLEY_BROKERS. Default: ${DEFAULT-VALUE}")
    int brokers;

    @Option(names = "--topologies", paramLabel = "N", defaultValue = "2",
            description = "Topology instances, 1 to 9. Env PARLEY_TOPOLOGIES. Default: ${DEFAULT-VALUE}")
    int topologies;

    @Option(names = "--gateways", paramLabel = "N", defaultValue = "2",
            description = "Gateways, 1 to 9. Env PARLEY_GATEWAYS. Default: ${DEFAULT-VALUE}")
    int gateways;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".parley-cluster",
            description = "Every node's data and log file. Env PARLEY_DATA_DIR. Default: ${DEFAULT-VALUE}")
    Path dataDir;

    @Option(names = "--port-base", paramLabel = "PORT", defaultValue = "0",
            description = "0: ephemeral ports. Else brokers use PORT+0.., their controllers PORT+10.., the registry "
                    + "PORT+20, topologies PORT+30.., gateways PORT+40... Env PARLEY_PORT_BASE. Default: ${DEFAULT-VALUE}")
    int portBase;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "12",
            description = "Partitions of Parley's topics. Env PARLEY_PARTITIONS. Default: ${DEFAULT-VALUE}")
    int partitions;

    @Option(names = "--node-java-opts", paramLabel = "OPTS", defaultValue = "",
            description = "Extra JVM options of every node, space-separated (after the role's heap: "
                    + "brokers -Xmx512m, topologies -Xmx768m, gateways -Xmx512m, registry -Xmx192m). "
                    + "Env PARLEY_NODE_JAVA_OPTS.")
    String nodeJavaOpts;

    @Option(names = "--start-timeout", paramLabel = "DURATION", defaultValue = "120s", converter = DurationConverter.class,
            description = "How long one node may take to become ready. Env PARLEY_START_TIMEOUT. Default: ${DEFAULT-VALUE}")
    Duration startTimeout;

    @Option(names = "--stop-timeout", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
            description = "How long one node may take to stop on Ctrl-C before it is killed. Env PARLEY_STOP_TIMEOUT. "
                    + "Default: ${DEFAULT-VALUE}")
    Duration stopTimeout;

    ClusterSettings settings() {
        List<String> options = Arrays.stream(nodeJavaOpts.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
        return new ClusterSettings(brokers, topologies, gateways, dataDir, portBase, partitions, startTimeout, stopTimeout,
                options, null, Map.of());
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LocalCluster cluster;
        try {
            cluster = LocalCluster.create(settings());
        } catch (ClusterException | IllegalArgumentException e) {
            err.println("parley cluster: " + e.getMessage());
            err.flush();
            return 2;
        }
        err.println("parley: starting a cluster in DEV MODE (dev tokens, a public token secret, no authentication inside)"
                + " on 127.0.0.1; logs in " + cluster.settings().dataDir().resolve("logs"));
        err.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            out.println("Stopping the cluster (gateways, topologies, registry, brokers)...");
            out.flush();
            cluster.close();
            out.println("Cluster stopped; data kept in " + cluster.settings().dataDir());
            out.flush();
            stopped.countDown();
        }, "parley-cluster-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            cluster.start();
        } catch (RuntimeException e) {
            if (cluster.closing()) { // Ctrl-C while starting: the hook stops what runs
                return awaitStop(stopped);
            }
            removeHook(hook);
            err.println("parley cluster failed to start: " + e.getMessage());
            err.flush();
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
        if (cluster.closing()) {
            return awaitStop(stopped);
        }
        printSummary(out, cluster);
        Set<String> reported = new HashSet<>();
        try {
            while (!stopped.await(1, TimeUnit.SECONDS)) {
                for (ClusterNode n : cluster.nodes()) {
                    if (n.exitedUnexpectedly() && reported.add(n.name() + n.exitCode())) {
                        err.println("!! " + n.name() + " exited with code " + n.exitCode().orElse(-1)
                                + " (nobody stopped it); see " + n.logFile());
                        err.flush();
                    }
                }
            }
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    /** The port map: every node with its pid, ports and log, then where to connect. */
    static void printSummary(PrintWriter out, LocalCluster cluster) {
        ClusterSettings s = cluster.settings();
        ClusterPlan plan = cluster.plan();
        out.println();
        out.printf("Parley cluster is up (started in %.1f s): %d brokers (RF %d, min ISR %d, transaction.version %d), "
                        + "registry, %d topologies (%d standby), %d gateways%n",
                cluster.startMillis() / 1000.0, s.brokers(), s.replicationFactor(), s.minInsyncReplicas(),
                cluster.transactionVersion(), s.topologies(), s.standbyReplicas(), s.gateways());
        out.printf("  %-11s %-8s %-36s %s%n", "node", "pid", "ports (127.0.0.1)", "log");
        for (ClusterNode n : cluster.nodes()) {
            String ports = n.ports().entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
            String pid = n.pid().isPresent() ? String.valueOf(n.pid().getAsLong()) : "-";
            out.printf("  %-11s %-8s %-36s %s%n", n.name(), pid, ports, relative(n.logFile()));
        }
        URI gateway = cluster.gatewayUrls().get(0);
        String[][] lines = {
                {"Kafka bootstrap servers", cluster.bootstrapServers()},
                {"Schema registry", cluster.registryUrl().toString()},
                {"Chat in the browser", cluster.gatewayUrls().stream().map(u -> u + "/").collect(Collectors.joining("  "))
                        + (cluster.gatewayUrls().size() > 1 ? "  (any gateway)" : "")},
                {"WebSocket", cluster.gatewayUrls().stream().map(u -> "ws://" + u.getHost() + ":" + u.getPort() + "/ws")
                        .collect(Collectors.joining("  "))},
                {"Dev token", "curl -s -X POST " + gateway + "/api/dev/token -d '{\"user\":\"alice\"}'"},
                {"Tail a channel", "./parley tail <channel> --bootstrap-servers " + cluster.bootstrapServers()
                        + " --schema-registry-url " + cluster.registryUrl()},
                {"Metrics", cluster.nodes().stream().filter(n -> n.role() == NodeRole.GATEWAY || n.role() == NodeRole.TOPOLOGY)
                        .map(n -> String.valueOf(n.ports().values().iterator().next())).collect(Collectors.joining(", "))
                        + " (/metrics)"},
                {"Data dir", s.dataDir() + " (kept on stop; Kafka cluster id " + cluster.clusterId() + ")"}};
        out.println();
        for (String[] l : lines) {
            out.printf("  %-23s  %s%n", l[0], l[1]);
        }
        out.println();
        StartCommand.devModeWarning(ClusterPlan.HOST).forEach(out::println);
        out.println();
        out.println("Stop with Ctrl-C.");
        out.println();
        out.flush();
    }

    private static String relative(Path file) {
        Path cwd = Path.of("").toAbsolutePath();
        return file.startsWith(cwd) ? cwd.relativize(file).toString() : file.toString();
    }

    private static int awaitStop(CountDownLatch stopped) {
        try {
            stopped.await();
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs anyway
        }
    }
}
