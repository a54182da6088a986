package dev.parley.ops.bench;

import dev.parley.ops.cli.DurationConverter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code parley bench}: the benchmark harness (docs/benchmarks.md). */
@Command(name = "bench",
        description = {
                "Benchmarks Parley end to end over real WebSocket connections and compares it with baselines measured in "
                        + "the same run on the same broker: a raw Kafka producer->consumer, a bare exactly-once Streams "
                        + "pass-through, a raw Jetty broadcast.",
                "By default it starts the system itself (broker+registry, topology and gateway, one child JVM each, on "
                        + "ephemeral ports) and appends the results to docs/benchmarks.md with a percentile plot."},
        footer = {"", "Workloads: W1 steady, W2 max throughput, W3 fan-out, W4 catch-up, W5 reconnect storm, W6 memory, "
                + "W7 presence storm beside W1, W8 gateway log-tail cost with 4 gateways, tail vs routed fan-out; "
                + "CI = the bare EOS pipe at each of --commit-intervals; NT = offline notifications at 2,000 x scale sends/s "
                + "(10 %% mention an offline member), with and without a webhook outage.",
                "Give the load generator heap for W6: PARLEY_JAVA_OPTS='-Xms1g -Xmx3g' ./parley bench ..."})
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--workloads", paramLabel = "LIST", defaultValue = "W1,W2,W3,W4,W5,W6,W7,W8",
            description = "Comma-separated: W1..W8, CI and/or NT (notifications; run it alone). Default: ${DEFAULT-VALUE}")
    String workloads;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
            description = "Measured time of W1. Default: ${DEFAULT-VALUE}")
    Duration duration;

    @Option(names = "--short-duration", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
            description = "Measured time of W2, W3, the baselines and each commit interval. Default: ${DEFAULT-VALUE}")
    Duration shortDuration;

    @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "Load before each measured window, excluded from the results. Default: ${DEFAULT-VALUE}")
    Duration warmup;

    @Option(names = "--scale", paramLabel = "FACTOR", defaultValue = "1.0",
            description = "Multiplies the counts of W3 (members), W4 (missed messages), W5 and W7 (clients) and W6 (connections); "
                    + "below 1 for quick development runs. Default: ${DEFAULT-VALUE}")
    double scale;

    @Option(names = "--steady-rate", paramLabel = "PER_S", defaultValue = "2000",
            description = "Sends/s of W1 and of W7's steady load. Lower only for development runs on a busy machine. Default: ${DEFAULT-VALUE}")
    double steadyRate;

    @Option(names = "--fanout-rate", paramLabel = "PER_S", defaultValue = "50",
            description = "Messages/s of W3 (and of the raw Jetty baseline). Default: ${DEFAULT-VALUE}")
    double fanOutRate;

    @Option(names = "--fanout-batch",
            description = "W3's clients ask for batched delivery (events frames), and the raw Jetty baseline batches the same way "
                    + "(PARLEY_BATCH_WINDOW, default 25ms).")
    boolean fanOutBatch;

    @Option(names = "--window", paramLabel = "N", defaultValue = "16",
            description = "W2: sends each connection keeps outstanding. Default: ${DEFAULT-VALUE}")
    int window;

    @Option(names = "--url", paramLabel = "WS_URL",
            description = "Benchmark an external gateway (ws://host:port/ws) instead of starting one. W6 needs the embedded one.")
    URI url;

    @Option(names = "--topology-url", paramLabel = "URL", description = "The external system's topology query URL (for the report).")
    String topologyUrl;

    @Option(names = "--bootstrap-servers", paramLabel = "HOSTS",
            description = "With --url: the external system's Kafka, for the Kafka baselines (skipped without it).")
    String bootstrapServers;

    @Option(names = "--jwt-secret", paramLabel = "SECRET", description = "HS256 secret of the gateway's tokens. Default: the dev secret.")
    String jwtSecret;

    @Option(names = "--commit-interval", paramLabel = "MS", defaultValue = "20",
            description = "commit.interval.ms of the embedded topology and of the bare EOS baseline. Default: ${DEFAULT-VALUE}")
    long commitIntervalMs;

    @Option(names = "--commit-intervals", paramLabel = "LIST", defaultValue = "5,10,20,50,100",
            description = "The CI study's intervals in ms. Default: ${DEFAULT-VALUE}")
    String commitIntervals;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "docs/benchmarks.md",
            description = "The report the run is appended to. Default: ${DEFAULT-VALUE}")
    Path out;

    @Option(names = "--plot-dir", paramLabel = "DIR", defaultValue = "docs/bench",
            description = "Where the run's percentile plot (PNG) goes. Default: ${DEFAULT-VALUE}")
    Path plotDir;

    @Option(names = "--work-dir", paramLabel = "DIR", defaultValue = "target/bench",
            description = "Child logs, broker data, JFR recordings. Default: ${DEFAULT-VALUE}")
    Path workDir;

    @Option(names = "--system-env", paramLabel = "KEY=VALUE",
            description = "Extra PARLEY_* settings for the embedded topology and gateway (repeatable), e.g. to try a tuning.")
    java.util.Map<String, String> systemEnv = new java.util.LinkedHashMap<>();

    @Option(names = "--child-jvm-opt", paramLabel = "FLAG",
            description = "An extra JVM flag for every child JVM the run starts (repeatable; the system's processes and the "
                    + "baselines alike), e.g. --child-jvm-opt=-XX:MaxGCPauseMillis=20 to try a GC setting.")
    List<String> childJvmOpts = new ArrayList<>();

    @Option(names = "--no-baselines", negatable = true, defaultValue = "true",
            description = "--no-baselines skips them (development only: the targets are ratios against them).")
    boolean baselines;

    @Option(names = "--no-jit-warmup", negatable = true, defaultValue = "true",
            description = "--no-jit-warmup ends each warm-up after its fixed time even while the JIT compilers are still busy "
                    + "(to measure a cold system; by default the warm-ups go on until they are quiet, at most 180 s).")
    boolean jitWarmup;

    @Option(names = "--jfr", description = "Record the child JVMs with JFR and summarize where their CPU went in the report.")
    boolean jfr;

    @Option(names = "--no-report", negatable = true, defaultValue = "true",
            description = "--no-report prints the results instead of appending them to --out.")
    boolean report;

    @Option(names = "--label", paramLabel = "TEXT", defaultValue = "full size",
            description = "What kind of run this is, for the table of runs. Default: ${DEFAULT-VALUE}")
    String label;

    @Override
    public Integer call() throws Exception {
        Set<String> chosen = new LinkedHashSet<>();
        for (String w : workloads.split(",")) {
            String t = w.trim().toUpperCase(Locale.ROOT);
            if (!t.matches("W[1-8]|CI|NT")) {
                throw new ParameterException(spec.commandLine(), "unknown workload '" + w + "' (W1..W8, CI, NT)");
            }
            chosen.add(t);
        }
        List<Long> intervals = Arrays.stream(commitIntervals.split(",")).map(String::trim).map(Long::parseLong).toList();
        long maxHeap = Runtime.getRuntime().maxMemory();
        if (chosen.contains("W6") && maxHeap < 2_000_000_000L && scale >= 0.5) {
            spec.commandLine().getErr().printf("parley bench: the load generator has %d MB of heap; W6 opens %d connections: "
                    + "PARLEY_JAVA_OPTS='-Xms1g -Xmx3g' is safer%n", maxHeap >> 20, Math.round(MemoryWorkload.CONNECTIONS * scale));
        }
        BenchRun.Options o = new BenchRun.Options(chosen, warmup, duration, shortDuration, scale, window, url, topologyUrl,
                bootstrapServers, jwtSecret == null ? BenchRun.defaultSecret() : jwtSecret, commitIntervalMs, intervals, out,
                plotDir, jfr, report, label, workDir, systemEnv, baselines, jitWarmup, steadyRate,
                fanOutRate, fanOutBatch, childJvmOpts);
        Results r = BenchRun.run(o, System.out);
        return r.notes.stream().anyMatch(n -> n.contains("failed")) ? 2 : 0;
    }
}
