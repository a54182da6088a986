package dev.parley.ops.bench;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Baselines (1) raw producer -> consumer and (2) the bare exactly-once Streams pass-through ({@link EosPipe})
 * on the system's own broker: latency at W1's 2,000 records/s and throughput at saturation. Also the
 * commit-interval study: the bare pipe at several commit intervals.
 */
final class KafkaBaselines {

    /** Records the pipe's warm-up keeps in flight: flat out, with no backlog left behind in its input. */
    static final long WARMUP_IN_FLIGHT = 20_000;

    private KafkaBaselines() {
    }

    static void raw(BenchContext ctx) throws Exception {
        String topic = "bench." + ctx.tag + ".raw";
        KafkaPipeProbe.createTopics(ctx.bootstrapServers, topic);
        KafkaPipeProbe probe = new KafkaPipeProbe(ctx.bootstrapServers, topic, topic);
        AtomicLong received = new AtomicLong();
        var cpu = Window.begin(ctx.processes);
        LatencyRecorder lat = probe.latency("raw Kafka produce->consume", SteadyWorkload.RATE, ctx.warmup, ctx.shortDuration, received);
        ctx.results.processes.put("raw Kafka @2000/s", cpu.end());
        ctx.results.latency(lat);
        double tput = probe.throughput(ctx.warmup, ctx.shortDuration);
        ctx.results.put("raw.records_per_s", tput);
        ctx.log("raw Kafka: %s | %.0f records/s at saturation", lat.summary(), tput);
    }

    /**
     * The bare EOS pipe at one commit interval.
     *
     * @param key results go under {@code <key>.p99_ms}, {@code <key>.records_per_s}
     */
    static void eos(BenchContext ctx, long commitIntervalMs, String key, Duration warmup, Duration measured, boolean record)
            throws Exception {
        String in = "bench." + ctx.tag + "." + key + ".in";
        String out = "bench." + ctx.tag + "." + key + ".out";
        KafkaPipeProbe.createTopics(ctx.bootstrapServers, in, out);
        Map<String, String> env = new java.util.HashMap<>(ctx.pipeEnv);
        env.putAll(Map.of("PARLEY_BOOTSTRAP_SERVERS", ctx.bootstrapServers, "BENCH_PIPE_IN", in, "BENCH_PIPE_OUT", out,
                "PARLEY_COMMIT_INTERVAL", commitIntervalMs + "ms"));
        ChildProcess pipe = ctx.launcher.start("eos-pipe", env);
        try (pipe) {
            pipe.awaitReady(Duration.ofSeconds(120));
            KafkaPipeProbe probe = new KafkaPipeProbe(ctx.bootstrapServers, in, out);
            AtomicLong received = new AtomicLong();
            var processes = ctx.processesWith(Map.of("eos-pipe", StatsSource.of(pipe)));
            processes.remove("topology");
            processes.remove("gateway");
            if (ctx.jitWarmup) {
                warmUp(ctx, probe, processes, warmup, key);
            }
            var cpu = Window.begin(processes);
            String name = "bare EOS pipe (" + commitIntervalMs + " ms) produce->consume";
            LatencyRecorder lat = probe.latency(name, SteadyWorkload.RATE, warmup, measured, received);
            var deltas = cpu.end();
            KafkaPipeProbe.Saturation saturation = probe.throughput(warmup, measured, processes);
            double tput = saturation.recordsPerSecond();
            double cpuPerRecord = CpuCost.millisPerOperation(saturation.cpu(), CpuCost.EOS_PIPE, tput);
            LatencyRecorder.Summary s = lat.summary();
            ctx.results.put(key + ".p50_ms", s.p50());
            ctx.results.put(key + ".p99_ms", s.p99());
            ctx.results.put(key + ".p999_ms", s.p999());
            ctx.results.put(key + ".records_per_s", tput);
            ctx.results.put(key + ".cpu_ms_per_record", cpuPerRecord);
            ctx.results.span(key + " @2000/s", key, lat.windowStart(), lat.windowEnd());
            ctx.results.span(key + " saturation", key, saturation.windowStartNanos(), saturation.windowEndNanos());
            if (record) {
                ctx.results.latency(lat);
                ctx.results.processes.put("bare EOS pipe @2000/s", deltas);
                ctx.results.processes.put("bare EOS pipe saturation", saturation.cpu());
            }
            ctx.log("bare EOS pipe, commit.interval.ms=%d: %s | %.0f records/s at saturation, %.4f ms of CPU per record (kafka + pipe)",
                    commitIntervalMs, s, tput, cpuPerRecord);
        }
    }

    /**
     * Warms the pipe, the broker and this JVM's clients up like the system before W1 ({@link WarmUpRule}): the pipe flat
     * out (20,000 records in flight) in rounds of 5 s for at least {@code minimum}, until the JIT compilers of these
     * processes are quiet.
     */
    private static void warmUp(BenchContext ctx, KafkaPipeProbe probe, Map<String, StatsSource> processes, Duration minimum,
                               String key) throws Exception {
        WarmUpRule rule = ctx.warmUpRule(minimum);
        long begin = System.nanoTime();
        double jit;
        Duration elapsed;
        do {
            jit = WarmUpRule.jitCores(probe.throughput(Duration.ZERO, ThroughputWorkload.JIT_CHECK, processes, WARMUP_IN_FLIGHT).cpu());
            elapsed = Duration.ofNanos(System.nanoTime() - begin);
        } while (!rule.done(elapsed, jit));
        // Saturation leaves records in the pipe's input; latency is measured once it has worked them off.
        Duration drained = probe.awaitDrained(Duration.ofSeconds(1), Duration.ofSeconds(120));
        ctx.results.put(key + ".warmup_s", elapsed.toMillis() / 1000.0);
        ctx.log("bare EOS pipe (%s): warmed up at saturation for %d s, JIT compiling %.2f core at the end; drained in %.1f s", key,
                elapsed.toSeconds(), jit, drained.toMillis() / 1000.0);
    }
}
