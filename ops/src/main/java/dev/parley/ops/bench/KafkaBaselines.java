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
            var cpu = Window.begin(processes);
            String name = "bare EOS pipe (" + commitIntervalMs + " ms) produce->consume";
            LatencyRecorder lat = probe.latency(name, SteadyWorkload.RATE, warmup, measured, received);
            var deltas = cpu.end();
            double tput = probe.throughput(warmup, measured);
            LatencyRecorder.Summary s = lat.summary();
            ctx.results.put(key + ".p50_ms", s.p50());
            ctx.results.put(key + ".p99_ms", s.p99());
            ctx.results.put(key + ".p999_ms", s.p999());
            ctx.results.put(key + ".records_per_s", tput);
            if (record) {
                ctx.results.latency(lat);
                ctx.results.processes.put("bare EOS pipe @2000/s", deltas);
            }
            ctx.log("bare EOS pipe, commit.interval.ms=%d: %s | %.0f records/s at saturation", commitIntervalMs, s, tput);
        }
    }
}
