package dev.parley.ops.cli;

import dev.parley.ops.connect.ConnectWorker;
import dev.parley.ops.connect.ConnectWorkerSettings;
import dev.parley.ops.connect.PluginPath;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code parley connect start}: Kafka Connect for analytics (docs/analytics.md). */
@Command(name = "connect",
        subcommands = {ConnectCommand.Start.class},
        description = "Kafka Connect for analytics: the committed log into SQL (docs/analytics.md).")
public final class ConnectCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing a subcommand: start");
    }

    /** {@code parley connect start}. */
    @Command(name = "start",
            description = {
                    "Runs a standalone Kafka Connect worker (Kafka 4.3) in a child JVM until Ctrl-C.",
                    "Lays out the plugin path (one folder per plugin: Parley's converter and transform, the Debezium "
                            + "JDBC sink), writes the effective worker config into <data-dir>/connect, starts the worker "
                            + "with the given connectors and waits until they run. Connector files may use $${env:NAME}."},
            footer = {"",
                    "Example (connectors/config/sink-postgres.json reads these through $${env:NAME}):",
                    "  export PARLEY_REGISTRY_URL=http://127.0.0.1:8081",
                    "  export PARLEY_ANALYTICS_JDBC_URL=jdbc:postgresql://db.example:5432/analytics",
                    "  export PARLEY_ANALYTICS_JDBC_USER=parley PARLEY_ANALYTICS_JDBC_PASSWORD=...",
                    "  ./parley connect start --connector connectors/config/sink-postgres.json",
                    "Docs: docs/operations.md, section \"Analytics (Kafka Connect)\"; docs/analytics.md."})
    public static final class Start implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;

        @Option(names = "--home", paramLabel = "DIR", defaultValue = ".",
                description = "The Parley checkout whose build outputs and configs are used (the parley script sets it)."
                        + " Env PARLEY_HOME. Default: ${DEFAULT-VALUE}")
        Path home;

        @Option(names = {"--config", "--worker-config"}, paramLabel = "FILE",
                description = "Worker properties (standalone mode). Env PARLEY_WORKER_CONFIG. "
                        + "Default: <home>/connectors/config/connect-standalone.properties")
        Path workerConfig;

        @Option(names = "--connector", paramLabel = "FILE", split = ",",
                description = "Connector JSON file ({\"name\":...,\"config\":{...}}); repeat or comma-separate for several. "
                        + "Env PARLEY_CONNECTOR. Default: none (add connectors through the REST API)")
        List<Path> connectors = new ArrayList<>();

        @Option(names = "--plugin", paramLabel = "DIR", split = ",",
                description = "Plugin folder (one plugin's jars) to put on the plugin path; repeat for several. Env PARLEY_PLUGIN. "
                        + "Default: <home>/connectors/target/plugins/parley-connect and "
                        + "<home>/connectors/plugin-debezium-jdbc/target/plugins/debezium-connector-jdbc")
        List<Path> plugins = new ArrayList<>();

        @Option(names = "--worker-lib", paramLabel = "DIR",
                description = "Folder of the worker's jars (Kafka Connect runtime). Env PARLEY_WORKER_LIB. "
                        + "Default: <home>/connectors/worker/target/lib")
        Path workerLib;

        @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".parley-data",
                description = "The worker's files go to <data-dir>/connect (plugin path, effective config, offsets). "
                        + "Env PARLEY_DATA_DIR. Default: ${DEFAULT-VALUE}")
        Path dataDir;

        @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
                description = "Kafka to use, instead of the worker config's bootstrap.servers. Env PARLEY_BOOTSTRAP_SERVERS.")
        String bootstrapServers;

        @Option(names = "--rest-port", paramLabel = "PORT",
                description = "The worker's REST port, instead of the worker config's listeners; 0 = a free one. "
                        + "Env PARLEY_REST_PORT.")
        Integer restPort;

        @Option(names = "--rest-host", paramLabel = "HOST", defaultValue = "127.0.0.1",
                description = "Host of the REST listener when --rest-port is given. Env PARLEY_REST_HOST. Default: ${DEFAULT-VALUE}")
        String restHost;

        @Option(names = "--worker-java-opts", paramLabel = "FLAGS", defaultValue = "-Xms256m -Xmx1g",
                description = "JVM flags of the worker. Env PARLEY_WORKER_JAVA_OPTS. Default: ${DEFAULT-VALUE}")
        String workerJavaOpts;

        @Option(names = "--start-timeout", paramLabel = "DURATION", defaultValue = "120s", converter = DurationConverter.class,
                description = "How long the worker and its connectors may take to run. Env PARLEY_START_TIMEOUT. "
                        + "Default: ${DEFAULT-VALUE}")
        Duration startTimeout;

        @Option(names = "--stop-timeout", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
                description = "How long Ctrl-C waits for a clean stop before killing the worker. Env PARLEY_STOP_TIMEOUT. "
                        + "Default: ${DEFAULT-VALUE}")
        Duration stopTimeout;

        /** The settings these options describe, with defaults under {@code home}. */
        ConnectWorkerSettings settings() {
            Path h = home.toAbsolutePath().normalize();
            Path config = workerConfig != null ? workerConfig : h.resolve("connectors/config/connect-standalone.properties");
            List<Path> pluginDirs = !plugins.isEmpty() ? plugins : List.of(
                    h.resolve("connectors/target/plugins/parley-connect"),
                    h.resolve("connectors/plugin-debezium-jdbc/target/plugins/debezium-connector-jdbc"));
            Path lib = workerLib != null ? workerLib : h.resolve("connectors/worker/target/lib");
            Path log = h.resolve("connectors/config/connect-logback.xml");
            List<String> opts = Arrays.stream(workerJavaOpts.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
            return new ConnectWorkerSettings(config, connectors, pluginDirs, lib, Files.isRegularFile(log) ? log : null,
                    dataDir.toAbsolutePath().normalize().resolve("connect"), bootstrapServers, restHost, restPort, opts,
                    startTimeout, stopTimeout);
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            ConnectWorkerSettings settings = settings();
            ConnectWorker worker = new ConnectWorker(settings);
            CountDownLatch stopped = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                try {
                    out.println("Stopping the Connect worker...");
                    out.flush();
                    if (worker.stop()) {
                        out.println("Connect worker stopped (sink connectors keep their offsets in Kafka, consumer group connect-<name>)");
                    } else {
                        err.println("the Connect worker did not stop within " + settings.stopTimeout().toSeconds() + " s; killed it");
                    }
                    out.flush();
                    err.flush();
                } finally {
                    stopped.countDown();
                }
            }, "parley-connect-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                worker.start();
            } catch (RuntimeException e) {
                worker.stop();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs anyway
                }
                err.println("parley connect start failed: " + e.getMessage());
                err.flush();
                return 1;
            }
            printSummary(out, worker, settings);
            try {
                int status = worker.waitFor();
                if (stopped.getCount() > 0) {
                    // the worker ended by itself, not through Ctrl-C
                    Runtime.getRuntime().removeShutdownHook(hook);
                    err.println("the Connect worker exited with status " + status);
                    err.flush();
                    return status == 0 ? 0 : 1;
                }
                stopped.await();
                return 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 130;
            }
        }

        static void printSummary(PrintWriter out, ConnectWorker worker, ConnectWorkerSettings s) {
            out.println();
            out.printf("Kafka Connect is up (started in %.1f s, pid %d):%n", worker.startMillis() / 1000.0, worker.pid());
            out.printf("  %-12s %s%n", "REST API", worker.restUrl());
            out.printf("  %-12s %s%n", "Plugin path", s.pluginPath());
            for (PluginPath.Plugin p : worker.plugins()) {
                out.printf("  %-12s %s (%d jars)%n", "", p.name(), p.jars());
            }
            out.printf("  %-12s %s%n", "Worker", s.effectiveWorkerConfig());
            if (worker.connectorStates().isEmpty()) {
                out.printf("  %-12s %s%n", "Connectors", "none yet: POST one to " + worker.restUrl().resolve("/connectors"));
            }
            boolean first = true;
            for (Map.Entry<String, String> c : worker.connectorStates().entrySet()) {
                out.printf("  %-12s %s: %s%n", first ? "Connectors" : "", c.getKey(), c.getValue());
                first = false;
            }
            out.println("Stop with Ctrl-C.");
            out.println();
            out.flush();
        }
    }
}
