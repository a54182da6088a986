package dev.parley.ops.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Baseline (3), the yardstick of W3: a raw Jetty broadcast ({@link BroadcastServer}, in its own JVM like the
 * gateway) of a frame of the same size as Parley's event frame, to the same number of local WebSocket
 * clients of the same load generator, at the same rate as W3. With {@code --fanout-batch} the broadcaster batches
 * the way the gateway does (its {@link dev.parley.gateway.hub.BatchWindow}, the same window). Deliveries/s and
 * send->deliver latency.
 */
final class JettyBroadcastBaseline {

    private JettyBroadcastBaseline() {
    }

    static void run(BenchContext ctx) throws Exception {
        int members = ctx.scaled(FanOutWorkload.MEMBERS);
        ChildProcess server = ctx.launcher.start("broadcast", ctx.fanOutBatch
                ? Map.of("PARLEY_BATCH_WINDOW", ctx.gatewayEnv == null ? "25ms" : ctx.gatewayEnv.getOrDefault("PARLEY_BATCH_WINDOW", "25ms"))
                : Map.of());
        try (server) {
            URI url = URI.create(server.awaitReady(Duration.ofSeconds(60)).get("ws"));
            MessageTracker t = new MessageTracker("Jetty broadcast", "w3j.", true);
            try (ClientPool pool = new ClientPool(url, ctx.jwtSecret)) {
                List<BenchClient> all = new ArrayList<>();
                List<CompletableFuture<?>> opened = new ArrayList<>();
                for (int k = 0; k < members; k++) {
                    BenchClient c = new BenchClient("jetty-u" + k, "d");
                    c.home = "bench";
                    c.handler = t;
                    all.add(c);
                    opened.add(pool.connect(c));
                    if (opened.size() % 200 == 0) {
                        CompletableFuture.allOf(opened.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                    }
                }
                CompletableFuture.allOf(opened.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                BenchClient sender = all.get(0);
                long start = System.nanoTime() + 200_000_000L;
                long windowStart = start + ctx.warmup.toNanos();
                long windowEnd = windowStart + ctx.shortDuration.toNanos();
                t.window(windowStart, windowEnd);
                var cpu = Window.between(orderedProcesses(ctx, server),
                        windowStart, windowEnd);
                double rate = ctx.fanOutRate;
                long count = (long) (rate * (ctx.warmup.toNanos() + ctx.shortDuration.toNanos()) / 1e9);
                String pad = BenchContext.TEXT;
                ctx.log("Jetty broadcast: %d sends at %.0f/s to %d clients%s", count, rate, members, ctx.fanOutBatch ? ", batched" : "");
                Pacer.run(start, rate, count, (i, due) -> {
                    t.sends.set(i, due);
                    t.ledger.acked("bench", i + 1);
                    // The same shape and size as a Parley event frame.
                    sender.send("B{\"type\":\"event\",\"channel\":\"bench\",\"seq\":" + (i + 1)
                            + ",\"kind\":\"message\",\"eventId\":\"01JBENCHEVENTID0000000000\",\"ts\":" + System.currentTimeMillis()
                            + ",\"user\":\"jetty-u0\",\"messageId\":\"01JBENCHMESSAGEID00000000\",\"clientMsgId\":\"w3j." + i
                            + "\",\"text\":\"" + pad + "\"}");
                });
                DeliveryLedger.Totals totals = t.drain(0, Duration.ofSeconds(60));
                double seconds = ctx.shortDuration.toNanos() / 1e9;
                Results r = ctx.results;
                r.put("jetty.deliveries_per_s", t.deliver.count() / seconds);
                r.latency(t.deliver);
                r.ledgers.put("Jetty broadcast", totals);
                var window = cpu.get();
                r.put("jetty.loadgen_us_per_delivery", 1000 * CpuCost.millisPerOperation(window, CpuCost.LOAD_GENERATOR,
                        t.deliver.count() / seconds));
                r.processes.put("Jetty broadcast", window);
                ctx.log("Jetty broadcast: %.0f deliveries/s | deliver %s | %s", t.deliver.count() / seconds, t.deliver.summary(), totals);
            }
        }
    }

    /** The load generator and the broadcaster only (not the system under test), in report order. */
    private static Map<String, StatsSource> orderedProcesses(BenchContext ctx, ChildProcess server) {
        Map<String, StatsSource> m = new java.util.LinkedHashMap<>();
        m.put("loadgen", ctx.processes.get("loadgen"));
        m.put("broadcast", StatsSource.of(server));
        return m;
    }
}
