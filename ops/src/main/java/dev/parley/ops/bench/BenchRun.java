package dev.parley.ops.bench;

import dev.parley.gateway.GatewayConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One benchmark run: starts the system under test in child JVMs (broker + registry, topology, gateway) unless
 * pointed at an external one, runs the baselines and the chosen workloads against it from this JVM (the load
 * generator), and writes the report and the plot.
 */
final class BenchRun {

    /** What to run; see {@code parley bench --help}. */
    record Options(Set<String> workloads, Duration warmup, Duration duration, Duration shortDuration, double scale,
                   int window, URI url, String topologyUrl, String bootstrapServers, String jwtSecret, long commitIntervalMs,
                   List<Long> commitIntervals, Path out, Path plotDir, boolean jfr, boolean report, String label, Path workDir,
                   Map<String, String> systemEnv, boolean baselines, boolean jitWarmup, double steadyRate,
                   double fanOutRate, boolean fanOutBatch, List<String> childJvmOpts) {
    }

    private BenchRun() {
    }

    static Results run(Options o, PrintStream console) throws Exception {
        Instant started = Instant.now();
        String id = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(started);
        String tag = "b" + Long.toString(started.toEpochMilli() % 100_000_000L, 36);
        Path logDir = o.workDir().resolve(id).toAbsolutePath();
        Files.createDirectories(logDir);
        String loadStart = loadAverage();
        String commit = commit(); // the code that runs, not what the tree holds when the run ends
        List<ChildProcess> children = new ArrayList<>();
        ProcessProbe self = new ProcessProbe();
        boolean embedded = o.url() == null;
        Map<String, ChildProcess> named = new LinkedHashMap<>();
        BenchContext.ChildLauncher launcher = (role, env) -> {
            ChildProcess c = ChildProcess.start(role, env, jvmArgs(role, o.jfr(), logDir, o.childJvmOpts()), logDir);
            synchronized (children) {
                children.add(c);
            }
            return c;
        };
        BenchContext ctx;
        try {
            URI ws = o.url();
            Map<String, String> gatewayEnv = null;
            String bootstrap = o.bootstrapServers();
            String topologyUrl = o.topologyUrl();
            String registryUrl = null;
            if (embedded) {
                console.printf("[bench] starting the system under test in child JVMs (logs in %s)%n", logDir);
                ChildProcess kafka = launcher.start("kafka", Map.of("PARLEY_DATA_DIR", logDir.resolve("kafka-data").toString()));
                named.put("kafka", kafka);
                Map<String, String> k = kafka.awaitReady(Duration.ofSeconds(180));
                bootstrap = k.get("bootstrap");
                registryUrl = k.get("registry");
                boolean needsSystem = o.workloads().stream().anyMatch(w -> w.startsWith("W") || w.equals("NT"));
                if (needsSystem) {
                    byte[] secret = new byte[32];
                    new java.security.SecureRandom().nextBytes(secret);
                    Map<String, String> common = Map.of("PARLEY_BOOTSTRAP_SERVERS", bootstrap,
                            "PARLEY_SCHEMA_REGISTRY_URL", k.get("registry"),
                            "PARLEY_TOPOLOGY_RPC_SECRET", java.util.HexFormat.of().formatHex(secret));
                    Map<String, String> t = new LinkedHashMap<>(common);
                    t.put("PARLEY_TOPOLOGY_APPLICATION_ID", "parley-bench-" + tag);
                    t.put("PARLEY_STATE_DIR", logDir.resolve("streams").toString());
                    t.put("PARLEY_TOPOLOGY_RPC_PORT", "0");
                    t.put("PARLEY_TOPOLOGY_RPC_BIND", "127.0.0.1");
                    t.put("PARLEY_TOPOLOGY_ADVERTISED_HOST", "127.0.0.1");
                    t.put("PARLEY_COMMIT_INTERVAL", o.commitIntervalMs() + "ms");
                    t.putAll(o.systemEnv());
                    ChildProcess topology = launcher.start("topology", t);
                    named.put("topology", topology);
                    topologyUrl = topology.awaitReady(Duration.ofSeconds(180)).get("url");
                    Map<String, String> g = new LinkedHashMap<>(common);
                    g.put("PARLEY_GATEWAY_PORT", "0");
                    g.put("PARLEY_GATEWAY_BIND", "127.0.0.1");
                    g.put("PARLEY_TOPOLOGY_URLS", topologyUrl);
                    g.put("PARLEY_DEV_MODE", "true");
                    g.put("PARLEY_GATEWAY_ID", "gw-bench");
                    // The load generator is a few users on one address at thousands of sends/s: per-user rate
                    // limits and the per-address connection cap would measure themselves, not the system.
                    // In-flight bounds and shedding stay on (o.systemEnv() can override all of these).
                    g.put("PARLEY_RATE_USER_SENDS", "off");
                    g.put("PARLEY_RATE_USER_REQUESTS", "off");
                    g.put("PARLEY_RATE_CONNECTION_SENDS", "off");
                    g.put("PARLEY_RATE_CONNECTION_REQUESTS", "off");
                    g.put("PARLEY_MAX_CONNECTIONS_PER_IP", "100000");
                    g.put("PARLEY_MAX_CONNECTIONS", "100000");
                    g.putAll(o.systemEnv());
                    gatewayEnv = g;
                    ChildProcess gateway = launcher.start("gateway", g);
                    named.put("gateway", gateway);
                    ws = URI.create(gateway.awaitReady(Duration.ofSeconds(120)).get("ws"));
                }
            }
            ctx = new BenchContext(ws, bootstrap, o.jwtSecret(), o.warmup(), o.duration(), o.shortDuration(), o.scale(), tag,
                    logDir, console, o.commitIntervalMs(), launcher, o.window(), o.jitWarmup());
            ctx.registryUrl = registryUrl;
            ctx.processes.put("loadgen", StatsSource.self(self));
            named.forEach((n, c) -> ctx.processes.put(n, StatsSource.of(c)));
            ctx.gateway = named.get("gateway");
            ctx.gatewayEnv = gatewayEnv;
            ctx.steadyRate = o.steadyRate();
            ctx.fanOutRate = o.fanOutRate();
            ctx.fanOutBatch = o.fanOutBatch();
            o.systemEnv().forEach((k, v) -> {
                if (k.equals("PARLEY_STREAM_THREADS") || k.startsWith("PARLEY_KAFKA_")) {
                    ctx.pipeEnv.put(k, v);
                }
            });
            ctx.log("system up: ws %s, topology %s, kafka %s; load average %s", ws, topologyUrl, bootstrap, loadStart);
            runAll(ctx, o);
        } finally {
            List<ChildProcess> copy;
            synchronized (children) {
                copy = new ArrayList<>(children);
            }
            for (int i = copy.size() - 1; i >= 0; i--) {
                copy.get(i).close();
            }
        }
        String loadEnd = loadAverage();
        Results r = ctx.results;
        if (embedded && !r.spans.isEmpty()) {
            countTransactions(ctx, logDir.resolve("kafka-data").resolve("kafka"));
        }
        if (o.jfr()) {
            for (String role : List.of("gateway", "gateway-2", "topology", "kafka")) {
                Path jfr = logDir.resolve(role + ".jfr");
                if (Files.exists(jfr)) {
                    r.profiles.put(role, JfrSummary.summarize(jfr, 12));
                }
            }
        }
        List<Targets.Verdict> verdicts = Targets.judge(r);
        String settings = String.format(java.util.Locale.ROOT,
                "%s; warm-up %d s%s; W1 %d s at %.0f sends/s; W2/W3/baselines %d s; scale %.2f; W2 window %d per connection; "
                        + "W3 %.0f msgs/s%s; commit.interval.ms %d; workloads %s%s",
                embedded ? "embedded (broker+registry, topology, gateway: one JVM each; load generator in another)" : "external " + o.url(),
                o.warmup().toSeconds(), o.jitWarmup() ? " (system and pipe: until the JIT is quiet)" : " (fixed: --no-jit-warmup)",
                o.duration().toSeconds(), o.steadyRate(), o.shortDuration().toSeconds(), o.scale(), o.window(),
                o.fanOutRate(), o.fanOutBatch() ? " batched (both W3 and the Jetty baseline)" : "", o.commitIntervalMs(), o.workloads(), o.systemEnv().isEmpty() ? "" : "; system env " + o.systemEnv());
        RunInfo run = new RunInfo(id, started, commit, machine(), loadStart, loadEnd, settings, o.label());
        console.println();
        verdicts.forEach(v -> console.printf("  %-16s %-45s %-60s %s%n", v.id(), v.target(), v.measured(), v.result()));
        if (o.report()) {
            Path plot = o.plotDir().resolve(id + ".png");
            Map<String, org.HdrHistogram.Histogram> series = new LinkedHashMap<>();
            r.histograms.forEach((name, h) -> {
                if (!name.startsWith("W4") && !name.startsWith("W5") && !name.startsWith("W2")) {
                    series.put(name, h);
                }
            });
            PercentilePlot.write(plot, "Parley " + id + " (" + run.label() + ", commit " + run.commit() + ", load " + loadStart + ")", series);
            Path outDir = o.out().toAbsolutePath().getParent();
            ReportWriter.append(o.out(), outDir.relativize(plot.toAbsolutePath()).toString().replace('\\', '/'), run, r, verdicts);
            console.printf("[bench] report: %s, plot: %s%n", o.out(), plot);
        } else {
            console.println(ReportWriter.section(run, r, verdicts, null));
        }
        return r;
    }

    private static void runAll(BenchContext ctx, Options o) {
        Set<String> w = o.workloads();
        boolean kafkaBaselines = (w.contains("W1") || w.contains("W2")) && ctx.bootstrapServers != null && o.baselines();
        if (kafkaBaselines) {
            attempt(ctx, "raw Kafka baseline", () -> KafkaBaselines.raw(ctx));
            attempt(ctx, "bare EOS baseline", () -> KafkaBaselines.eos(ctx, o.commitIntervalMs(), "eos", ctx.warmup, ctx.shortDuration, true));
        }
        if (w.contains("W1") || w.contains("W2")) {
            try (ClientPool pool = ctx.pool()) {
                ctx.log("W1/W2: setting up 100 channels x 2 members");
                Rooms rooms = Rooms.setup(pool, ctx.tag + "-w1", 100, 2, Duration.ofSeconds(120));
                ThroughputWorkload.warmUp(ctx, rooms, ctx.warmup.multipliedBy(2));
                if (w.contains("W1")) {
                    attempt(ctx, "W1", () -> SteadyWorkload.run(ctx, rooms));
                }
                if (w.contains("W2")) {
                    attempt(ctx, "W2", () -> ThroughputWorkload.run(ctx, rooms));
                }
            } catch (Exception e) {
                failed(ctx, "W1/W2 setup", e);
            }
        }
        if (w.contains("W3")) {
            if (o.baselines()) {
                attempt(ctx, "raw Jetty baseline", () -> JettyBroadcastBaseline.run(ctx));
            }
            attempt(ctx, "W3", () -> FanOutWorkload.run(ctx));
        }
        if (w.contains("W4")) {
            attempt(ctx, "W4", () -> CatchUpWorkload.run(ctx));
        }
        if (w.contains("W5")) {
            attempt(ctx, "W5", () -> ReconnectStormWorkload.run(ctx));
        }
        if (w.contains("W6")) {
            attempt(ctx, "W6", () -> MemoryWorkload.run(ctx));
        }
        if (w.contains("W7")) {
            attempt(ctx, "W7", () -> PresenceStormWorkload.run(ctx));
        }
        if (w.contains("W8")) {
            attempt(ctx, "W8", () -> RoutedFanOutWorkload.run(ctx));
        }
        if (w.contains("NT")) {
            attempt(ctx, "NT", () -> NotificationWorkload.run(ctx));
        }
        if (w.contains("CI") && ctx.bootstrapServers != null) {
            for (long ci : o.commitIntervals()) {
                attempt(ctx, "commit interval " + ci, () -> KafkaBaselines.eos(ctx, ci, "ci" + ci, Duration.ofSeconds(5),
                        ctx.shortDuration, false));
            }
        }
    }

    /** Transactions per measured window, from the stopped broker's log (docs/benchmarks.md "Partitions per transaction"). */
    private static void countTransactions(BenchContext ctx, Path brokerLog) {
        try {
            TxnCensus census = new TxnCensus(topic -> appOfTopic(topic, ctx.tag));
            TxnLogReader.read(brokerLog, census);
            ctx.results.transactions.addAll(census.summarize(ctx.results.spans));
        } catch (Exception | LinkageError e) {
            ctx.results.note("transactions not counted from " + brokerLog + ": " + e);
        }
    }

    /** Whose transactions write a topic: Parley's (topics and Streams internals) or a bare pipe's ({@code bench.<tag>.<key>.*}). */
    static String appOfTopic(String topic, String tag) {
        if (topic.startsWith("parley.") || topic.startsWith("parley-bench-" + tag + "-")) {
            return "parley";
        }
        String bench = "bench." + tag + ".";
        if (topic.startsWith(bench)) {
            String rest = topic.substring(bench.length());
            int dot = rest.indexOf('.');
            return dot > 0 ? rest.substring(0, dot) : null;
        }
        return null;
    }

    interface Step {
        void run() throws Exception;
    }

    private static void attempt(BenchContext ctx, String what, Step step) {
        try {
            step.run();
        } catch (Exception | AssertionError e) {
            failed(ctx, what, e);
        }
    }

    private static void failed(BenchContext ctx, String what, Throwable e) {
        ctx.log("%s failed: %s", what, e);
        e.printStackTrace(ctx.out);
        ctx.results.note(what + " failed: " + e);
    }

    static List<String> jvmArgs(String role, boolean jfr, Path logDir, List<String> extra) {
        List<String> args = new ArrayList<>();
        args.add("-Xms256m");
        args.add("-Xmx1g");
        args.addAll(extra);
        if (jfr) {
            args.add("-XX:StartFlightRecording=filename=" + logDir.resolve(role + ".jfr") + ",settings=profile,dumponexit=true");
        }
        return args;
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).trim().split("\\s+");
            return parts[0] + "/" + parts[1] + "/" + parts[2];
        } catch (IOException | RuntimeException e) {
            return String.format(java.util.Locale.ROOT, "%.2f", java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                    .getSystemLoadAverage());
        }
    }

    static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + " "
                + System.getProperty("os.version") + " " + System.getProperty("os.arch") + ", Java " + System.getProperty("java.version");
    }

    static String commit() {
        try {
            String head = git("rev-parse", "--short", "HEAD");
            String status = git("status", "--porcelain", "--untracked-files=no");
            return head.isEmpty() ? "unknown" : head + (status.isEmpty() ? "" : "-dirty");
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static String git(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("git");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return p.waitFor() == 0 ? out : "";
    }

    static String defaultSecret() {
        return GatewayConfig.DEV_SECRET;
    }
}
