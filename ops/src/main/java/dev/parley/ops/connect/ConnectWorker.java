package dev.parley.ops.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.ops.net.Ports;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A standalone Kafka Connect worker in a child JVM ({@code org.apache.kafka.connect.cli.ConnectStandalone}
 * on the worker's own classpath): Parley's JVM is on Kafka 4.4 while the worker and its plugins (Debezium is
 * built on Connect 4.3) stay on one Kafka version, so they cannot share a class loader.
 *
 * <p>{@link #start()} lays out the plugin path, writes the effective worker properties, starts the JVM and
 * waits until the REST API answers and every connector and its tasks are RUNNING.
 */
public final class ConnectWorker implements AutoCloseable {

    static final String MAIN = "org.apache.kafka.connect.cli.ConnectStandalone";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConnectWorkerSettings settings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private URI restUrl;
    private List<PluginPath.Plugin> plugins = List.of();
    private Map<String, String> connectorStates = Map.of();
    private long startMillis;

    public ConnectWorker(ConnectWorkerSettings settings) {
        this.settings = settings;
    }

    /** The connector names in connector JSON files ({"name": ..., "config": {...}}). */
    public static List<String> connectorNames(List<Path> files) {
        List<String> names = new ArrayList<>();
        for (Path f : files) {
            try {
                JsonNode root = JSON.readTree(Files.readString(f));
                if (root == null || !root.hasNonNull("name") || !root.has("config")) {
                    throw new IllegalArgumentException(f + " is not a connector file: expected {\"name\": ..., \"config\": {...}}");
                }
                names.add(root.get("name").asText());
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read connector file " + f + ": " + e.getMessage(), e);
            }
        }
        return names;
    }

    /**
     * The worker properties the child runs with: the given file plus {@code plugin.path} (always the laid-out
     * folder), {@code plugin.discovery=service_load} and an offsets file in the connect dir unless set, and the
     * bootstrap servers and REST listener when overridden.
     */
    public static Properties effectiveProperties(Properties file, ConnectWorkerSettings s, Integer restPort) {
        if (file.containsKey("group.id")) {
            throw new IllegalArgumentException(s.workerConfig() + " is a distributed-mode worker config (it sets group.id);"
                    + " parley connect start runs a standalone worker. Run distributed workers with Kafka's"
                    + " connect-distributed.sh: see docs/analytics.md, \"Production\".");
        }
        Properties p = new Properties();
        p.putAll(file);
        p.setProperty("plugin.path", s.pluginPath().toAbsolutePath().toString());
        p.putIfAbsent("plugin.discovery", "service_load");
        p.putIfAbsent("offset.storage.file.filename", s.connectDir().resolve("standalone.offsets").toAbsolutePath().toString());
        if (s.bootstrapServers() != null && !s.bootstrapServers().isBlank()) {
            p.setProperty("bootstrap.servers", s.bootstrapServers());
        }
        if (restPort != null) {
            p.setProperty("listeners", "http://" + s.restHost() + ":" + restPort);
        }
        return p;
    }

    /** The URL of the REST API from the first {@code listeners} entry (0.0.0.0 reached as 127.0.0.1). */
    public static URI restUrl(Properties effective) {
        String listeners = effective.getProperty("listeners", "http://127.0.0.1:8083");
        URI first = URI.create(listeners.split(",")[0].trim());
        String host = first.getHost() == null || "0.0.0.0".equals(first.getHost()) ? "127.0.0.1" : first.getHost();
        if (first.getPort() <= 0) {
            throw new IllegalArgumentException("listeners=" + listeners + " needs an explicit port (use --rest-port 0 for a free one)");
        }
        return URI.create(first.getScheme() + "://" + host + ":" + first.getPort());
    }

    /** The child's command line. */
    public List<String> command(Path effectiveConfig) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(settings.javaOpts());
        if (settings.logConfig() != null) {
            cmd.add("-Dlogback.configurationFile=" + settings.logConfig().toAbsolutePath());
        }
        cmd.add("-cp");
        cmd.add(settings.workerLib().toAbsolutePath() + "/*");
        cmd.add(MAIN);
        cmd.add(effectiveConfig.toAbsolutePath().toString());
        settings.connectors().forEach(c -> cmd.add(c.toAbsolutePath().toString()));
        return cmd;
    }

    /** Prepares and starts the worker, then waits until it and every connector are running. */
    public void start() {
        long t0 = System.nanoTime();
        if (!Files.isDirectory(settings.workerLib())) {
            throw new IllegalArgumentException("the worker classpath " + settings.workerLib() + " does not exist (build it:"
                    + " mvn -pl connectors,connectors/worker -am package -DskipTests)");
        }
        List<String> names = connectorNames(settings.connectors());
        Properties file = new Properties();
        try (InputStream in = Files.newInputStream(settings.workerConfig())) {
            file.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the worker config " + settings.workerConfig() + ": " + e.getMessage(), e);
        }
        Integer port = settings.restPort() == null ? null
                : settings.restPort() == 0 ? Ports.pickFree(settings.restHost()) : settings.restPort();
        Properties effective = effectiveProperties(file, settings, port);
        restUrl = restUrl(effective);
        if (!Ports.isFree(restUrl.getHost(), restUrl.getPort())) {
            throw new IllegalArgumentException("the Connect REST port " + restUrl.getPort() + " on " + restUrl.getHost()
                    + " is in use; pick another with --rest-port <port> (0 = a free one)");
        }
        plugins = PluginPath.layOut(settings.pluginPath(), settings.plugins());
        try {
            Files.createDirectories(settings.connectDir());
            try (OutputStream out = Files.newOutputStream(settings.effectiveWorkerConfig())) {
                effective.store(out, "written by parley connect start from " + settings.workerConfig().toAbsolutePath());
            }
            process = new ProcessBuilder(command(settings.effectiveWorkerConfig())).inheritIO().start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Connect worker: " + e.getMessage(), e);
        }
        awaitRunning(names);
        startMillis = (System.nanoTime() - t0) / 1_000_000;
    }

    private void awaitRunning(List<String> names) {
        long deadline = System.nanoTime() + settings.startTimeout().toNanos();
        Map<String, String> states = new LinkedHashMap<>();
        names.forEach(n -> states.put(n, "not created yet"));
        boolean restUp = false;
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Connect worker exited with status " + process.exitValue()
                        + " while starting (its log is above)");
            }
            if (!restUp) {
                restUp = get("/").map(body -> body.has("version")).orElse(false);
            }
            if (restUp) {
                boolean all = true;
                for (String name : names) {
                    String state = connectorState(name);
                    states.put(name, state);
                    if (state.startsWith("FAILED")) {
                        throw new IllegalStateException("connector " + name + " failed: " + state);
                    }
                    all &= state.startsWith("RUNNING");
                }
                if (all) {
                    connectorStates = Map.copyOf(states);
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the Connect worker was not ready within " + settings.startTimeout().toSeconds()
                        + " s (REST " + (restUp ? "up" : "not answering") + ", connectors " + states + ")");
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the Connect worker", e);
            }
        }
    }

    /** e.g. {@code RUNNING (1 task RUNNING)}, {@code FAILED: <trace>}, {@code not created yet}. */
    private String connectorState(String name) {
        return get("/connectors/" + name + "/status").map(s -> {
            String state = s.path("connector").path("state").asText("UNKNOWN");
            JsonNode tasks = s.path("tasks");
            List<String> taskStates = new ArrayList<>();
            for (JsonNode t : tasks) {
                String ts = t.path("state").asText();
                if ("FAILED".equals(ts)) {
                    return "FAILED: task " + t.path("id").asText() + ": " + firstLine(t.path("trace").asText());
                }
                taskStates.add(ts);
            }
            if ("FAILED".equals(state)) {
                return "FAILED: " + firstLine(s.path("connector").path("trace").asText());
            }
            if ("RUNNING".equals(state) && (taskStates.isEmpty() || taskStates.stream().anyMatch(t -> !"RUNNING".equals(t)))) {
                return "starting tasks " + taskStates;
            }
            return state + " (" + taskStates.size() + (taskStates.size() == 1 ? " task " : " tasks ") + String.join(", ", taskStates) + ")";
        }).orElse("not created yet");
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private java.util.Optional<JsonNode> get(String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(restUrl.resolve(path)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? java.util.Optional.of(JSON.readTree(r.body())) : java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    public URI restUrl() {
        return restUrl;
    }

    public List<PluginPath.Plugin> plugins() {
        return plugins;
    }

    public Map<String, String> connectorStates() {
        return connectorStates;
    }

    public long startMillis() {
        return startMillis;
    }

    public long pid() {
        return process == null ? -1 : process.pid();
    }

    /** Waits for the worker to exit; its exit status. */
    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    /** Stops the worker (SIGTERM: Connect's clean shutdown), forcibly after the stop timeout; true when clean. */
    @Override
    public void close() {
        stop();
    }

    public boolean stop() {
        if (process == null || !process.isAlive()) {
            return true;
        }
        process.destroy();
        try {
            if (process.waitFor(settings.stopTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        return false;
    }
}
