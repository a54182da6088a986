package dev.parley.ops.bench;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** What every workload and baseline of one run shares: where the system is, how long to run, where results go. */
final class BenchContext {

    /** The body of every benchmark message: 100 characters, so a command is ~250 bytes of Avro. */
    static final String TEXT = "bench message " + "x".repeat(86);
    /** Record size of the Kafka baselines: about a Parley command envelope with {@link #TEXT}. */
    static final int RECORD_BYTES = 250;

    final URI wsUrl;
    final String bootstrapServers;
    final String jwtSecret;
    final Map<String, StatsSource> processes = new LinkedHashMap<>();
    ChildProcess gateway;
    /** The embedded gateway's environment (null against an external system): W7 starts a second gateway with it. */
    Map<String, String> gatewayEnv;
    /** Sends/s of W1 and W7's steady load ({@code --steady-rate}). */
    double steadyRate = SteadyWorkload.RATE;
    /** W3's messages/s and whether its clients (and the raw Jetty baseline) batch live events. */
    double fanOutRate = FanOutWorkload.RATE;
    boolean fanOutBatch;
    /** Settings the bare EOS pipe shares with the topology (e.g. PARLEY_STREAM_THREADS from --system-env). */
    final Map<String, String> pipeEnv = new LinkedHashMap<>();
    final Duration warmup;
    final Duration duration;
    final Duration shortDuration;
    final double scale;
    final String tag;
    final Path logDir;
    final PrintStream out;
    final long commitIntervalMs;
    final Results results = new Results();
    final ChildLauncher launcher;
    final int saturationWindow;
    /** Warm-ups go on until the JIT compilers are quiet ({@link WarmUpRule}); off: a fixed time (a cold system). */
    final boolean jitWarmup;
    /** The embedded system's schema registry (null against an external system). */
    String registryUrl;

    /** Starts baseline processes (the bare EOS pipe, the Jetty broadcaster) in child JVMs. */
    interface ChildLauncher {
        ChildProcess start(String role, Map<String, String> env) throws Exception;
    }

    BenchContext(URI wsUrl, String bootstrapServers, String jwtSecret, Duration warmup, Duration duration,
                 Duration shortDuration, double scale, String tag, Path logDir, PrintStream out, long commitIntervalMs,
                 ChildLauncher launcher, int saturationWindow, boolean jitWarmup) {
        this.wsUrl = wsUrl;
        this.bootstrapServers = bootstrapServers;
        this.jwtSecret = jwtSecret;
        this.warmup = warmup;
        this.duration = duration;
        this.shortDuration = shortDuration;
        this.scale = scale;
        this.tag = tag;
        this.logDir = logDir;
        this.out = out;
        this.commitIntervalMs = commitIntervalMs;
        this.launcher = launcher;
        this.saturationWindow = saturationWindow;
        this.jitWarmup = jitWarmup;
    }

    /** The rule that ends a warm-up of at least {@code minimum}. */
    WarmUpRule warmUpRule(java.time.Duration minimum) {
        return jitWarmup ? WarmUpRule.of(minimum) : new WarmUpRule(minimum, minimum, Double.MAX_VALUE);
    }

    int scaled(int n) {
        return Math.max(2, (int) Math.round(n * scale));
    }

    ClientPool pool() {
        return new ClientPool(wsUrl, jwtSecret);
    }

    void log(String format, Object... args) {
        out.printf("[bench %tT] %s%n", System.currentTimeMillis(), String.format(format, args));
        out.flush();
    }

    /** Processes to watch in a window: the system's and some extra (a baseline's). */
    Map<String, StatsSource> processesWith(Map<String, StatsSource> extra) {
        Map<String, StatsSource> m = new LinkedHashMap<>(processes);
        m.putAll(extra);
        return m;
    }
}
