package dev.parley.ops.cli;

import dev.parley.ops.runner.LocalComponent.SummaryLine;
import dev.parley.ops.runner.LocalStack;
import dev.parley.ops.runner.LocalStackException;
import dev.parley.ops.runner.RunnerSettings;
import dev.parley.schemas.config.Env;
import dev.parley.schemas.config.Loopback;
import dev.parley.schemas.topics.TopicNames;
import dev.parley.schemas.topics.TopicSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code parley start}: the whole stack in this process until Ctrl-C. */
@Command(name = "start",
        description = {
                "Runs Parley locally in this process until Ctrl-C, in DEV MODE (dev tokens, known secrets).",
                "Starts a single-node Kafka broker (KRaft), creates Parley's topics, then the other components; "
                        + "stops them in reverse order on Ctrl-C. The data dir is kept, so the next start "
                        + "continues with the same history."},
        footer = {"",
                "Topic layout: PARLEY_PARTITIONS (12), PARLEY_REPLICATION_FACTOR (1), PARLEY_MIN_INSYNC_REPLICAS, "
                        + "PARLEY_COMMANDS_RETENTION (7d), PARLEY_RESULTS_RETENTION (1d), PARLEY_DLQ_RETENTION (30d).",
                "Log levels: PARLEY_LOG_LEVEL (INFO), KAFKA_LOG_LEVEL (WARN)."})
public final class StartCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".parley-data",
            description = "Where the broker (and later the other components) keep their data. "
                    + "Env PARLEY_DATA_DIR. Default: ${DEFAULT-VALUE}")
    Path dataDir;

    @Option(names = "--kafka-port", paramLabel = "PORT", defaultValue = "9092",
            description = "Kafka client (PLAINTEXT) port; 0 = ephemeral. Env PARLEY_KAFKA_PORT. Default: ${DEFAULT-VALUE}")
    int kafkaPort;

    @Option(names = "--controller-port", paramLabel = "PORT", defaultValue = "0",
            description = "Kafka controller (KRaft) port; 0 = a free one. Env PARLEY_CONTROLLER_PORT. Default: ${DEFAULT-VALUE}")
    int controllerPort;

    @Option(names = "--registry-port", paramLabel = "PORT", defaultValue = "8081",
            description = "Schema registry HTTP port. Env PARLEY_REGISTRY_PORT. Default: ${DEFAULT-VALUE}")
    int registryPort;

    @Option(names = "--gateway-port", paramLabel = "PORT", defaultValue = "8080",
            description = "Gateway HTTP/WebSocket port. Env PARLEY_GATEWAY_PORT. Default: ${DEFAULT-VALUE}")
    int gatewayPort;

    @Option(names = "--topology-port", paramLabel = "PORT", defaultValue = "8070",
            description = "Topology HTTP (health/metrics) port. Env PARLEY_TOPOLOGY_PORT. Default: ${DEFAULT-VALUE}")
    int topologyPort;

    @Option(names = "--bind-host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "Address the servers listen on; a non-loopback one needs --allow-remote-dev. "
                    + "Env PARLEY_BIND_HOST. Default: ${DEFAULT-VALUE}")
    String bindHost;

    @Option(names = "--allow-remote-dev",
            description = "Allow a --bind-host other than loopback although the stack runs in dev mode (anyone who "
                    + "reaches it can sign in as anyone; Kafka, the registry and the topology RPC have no "
                    + "authentication). Env PARLEY_ALLOW_REMOTE_DEV.")
    boolean allowRemoteDev;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX", defaultValue = TopicNames.DEFAULT_PREFIX,
            description = "Prefix of Parley's topic names. Env PARLEY_TOPIC_PREFIX. Default: ${DEFAULT-VALUE}")
    String topicPrefix;

    @Option(names = "--start-timeout", paramLabel = "DURATION", defaultValue = "90s", converter = DurationConverter.class,
            description = "How long a component may take to start. Env PARLEY_START_TIMEOUT. Default: ${DEFAULT-VALUE}")
    Duration startTimeout;

    @Option(names = "--stop-timeout", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
            description = "How long Ctrl-C waits for a clean stop before exiting anyway. Env PARLEY_STOP_TIMEOUT. "
                    + "Default: ${DEFAULT-VALUE}")
    Duration stopTimeout;

    /** The settings these options describe; topic layout from the PARLEY_* topic variables. */
    RunnerSettings settings(Env env) {
        return new RunnerSettings(dataDir, bindHost, kafkaPort, controllerPort, registryPort, gatewayPort, topologyPort,
                new TopicNames(topicPrefix), TopicSettings.fromEnv(env), startTimeout, Map.of());
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<String> refused = bindHostProblem(bindHost, allowRemoteDev);
        if (refused.isPresent()) {
            err.println("parley start: " + refused.get());
            err.flush();
            return 2;
        }
        err.println("parley: starting in DEV MODE (dev tokens, a public token secret, no authentication inside);"
                + " for this machine only");
        err.flush();
        RunnerSettings settings = settings(Env.system());
        LocalStack stack = new LocalStack(settings, LocalStack.defaultComponents(settings));
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            try {
                out.println("Stopping Parley...");
                out.flush();
                if (stopWithin(stack, stopTimeout)) {
                    out.println("Parley stopped; data kept in " + settings.dataDir());
                } else {
                    err.println("Parley did not stop within " + stopTimeout.toSeconds() + " s; exiting anyway"
                            + " (Kafka recovers its log on the next start)");
                }
                out.flush();
                err.flush();
            } finally {
                stopped.countDown();
            }
        }, "parley-stop");
        Runtime.getRuntime().addShutdownHook(hook);

        try {
            stack.start();
        } catch (LocalStackException e) {
            removeHook(hook);
            err.println("parley start failed: " + e.getMessage());
            err.println("(PARLEY_LOG_LEVEL=DEBUG shows the stack trace)");
            err.flush();
            return 1;
        }
        if (!stack.closeRequested()) {
            printSummary(out, stack);
        }
        try {
            stopped.await();
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    /**
     * Why dev mode must not listen on {@code bindHost}, if it must not: everything the runner starts is
     * unauthenticated or uses known secrets, so only a loopback address is allowed unless the operator says
     * {@code --allow-remote-dev}.
     */
    static Optional<String> bindHostProblem(String bindHost, boolean allowRemoteDev) {
        if (allowRemoteDev || Loopback.isLoopback(bindHost)) {
            return Optional.empty();
        }
        return Optional.of("--bind-host " + bindHost + " is not a loopback address, and this stack runs in DEV MODE:"
                + " anyone who reaches it could sign in as any user (POST /api/dev/token), and Kafka, the schema"
                + " registry and the topology RPC have no authentication. Use 127.0.0.1, or add --allow-remote-dev"
                + " (PARLEY_ALLOW_REMOTE_DEV=true) if you really want that on a trusted network. Production:"
                + " docs/operations.md, \"Docker deployment\".");
    }

    /** The dev mode warning of the summary: what anyone who reaches the stack can do. */
    static List<String> devModeWarning(String bindHost) {
        List<String> lines = new ArrayList<>(List.of(
                "!! DEV MODE: anyone who reaches the gateway can sign in as any user (POST /api/dev/token, no",
                "!! password); tokens are signed with the public dev secret; Kafka, the schema registry and the",
                "!! topology RPC have no authentication. For development on this machine only."));
        if (!Loopback.isLoopback(bindHost)) {
            lines.add("!! --allow-remote-dev: listening on " + bindHost + ", so all of that is open to the network.");
        }
        return lines;
    }

    /** Closes the stack on another thread; false when it did not finish in time (the JVM exits anyway). */
    static boolean stopWithin(LocalStack stack, Duration timeout) {
        Thread closer = new Thread(stack::close, "parley-close");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !closer.isAlive();
    }

    static void printSummary(PrintWriter out, LocalStack stack) {
        List<SummaryLine> lines = stack.summary();
        int width = lines.stream().mapToInt(l -> l.label().length()).max().orElse(0);
        out.println();
        out.printf("Parley is up (started in %.1f s):%n", stack.startMillis() / 1000.0);
        for (SummaryLine l : lines) {
            out.printf("  %-" + width + "s  %s%n", l.label(), l.value());
        }
        out.println();
        devModeWarning(stack.context().settings().bindHost()).forEach(out::println);
        out.println();
        out.println("Stop with Ctrl-C.");
        out.println();
        out.flush();
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs anyway; the stack is already closed
        }
    }
}
