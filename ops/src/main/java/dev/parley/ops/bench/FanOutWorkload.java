package dev.parley.ops.bench;

import java.time.Duration;
import java.util.List;

/**
 * W3 fan-out: one channel, 1,000 members online, one member sends 50 messages/s (open loop; {@code --fanout-rate});
 * every member's connection, the sender's included, receives each one. Deliveries/s and send->deliver latency. With
 * {@code --fanout-batch} the members ask for batched delivery: an event counts as delivered when its batch arrives.
 */
final class FanOutWorkload {

    static final double RATE = 50;
    static final int MEMBERS = 1_000;

    private FanOutWorkload() {
    }

    static void run(BenchContext ctx) throws Exception {
        int members = ctx.scaled(MEMBERS);
        double rate = ctx.fanOutRate;
        try (ClientPool pool = ctx.pool()) {
            pool.batch = ctx.fanOutBatch;
            ctx.log("W3: setting up one channel with %d members%s", members, ctx.fanOutBatch ? ", batched delivery" : "");
            Rooms rooms = Rooms.setup(pool, ctx.tag + "-w3", 1, members, Duration.ofSeconds(120));
            MessageTracker t = new MessageTracker("W3", "w3.", true);
            List<Member> all = rooms.all();
            all.forEach(c -> {
                c.after = Math.max(c.lastSeq, c.headInWelcome(c.home));
                c.handler = t;
            });
            Thread.sleep(1000); // let the joins' own fan-out settle
            all.forEach(c -> c.after = Math.max(c.after, c.lastSeq));
            Member sender = all.get(0);
            String channel = rooms.channels.get(0);
            long start = System.nanoTime() + 200_000_000L;
            long windowStart = start + ctx.warmup.toNanos();
            long windowEnd = windowStart + ctx.shortDuration.toNanos();
            t.window(windowStart, windowEnd);
            var cpu = Window.between(ctx.processes, windowStart, windowEnd);
            long count = (long) (rate * (ctx.warmup.toNanos() + ctx.shortDuration.toNanos()) / 1e9);
            ctx.log("W3: %d sends at %.0f/s to %d members", count, rate, members);
            Pacer.run(start, rate, count, (i, due) -> {
                t.sends.set(i, due);
                t.send(sender, channel, i, BenchContext.TEXT);
            });
            DeliveryLedger.Totals totals = t.drain(count, Duration.ofSeconds(60));
            Results r = ctx.results;
            double seconds = ctx.shortDuration.toNanos() / 1e9;
            r.put("W3.members", members);
            r.put("W3.offered_deliveries_per_s", rate * members);
            r.put("W3.rate", rate);
            r.put("W3.deliveries_per_s", t.deliver.count() / seconds);
            r.put("W3.errors", t.errors.get());
            var window = cpu.get();
            r.put("W3.loadgen_us_per_delivery", 1000 * CpuCost.millisPerOperation(window, CpuCost.LOAD_GENERATOR,
                    t.deliver.count() / seconds));
            r.latency(t.deliver);
            r.latency(t.ack);
            r.latency(t.fromEventTs);
            r.ledgers.put("W3", totals);
            r.processes.put("W3", window);
            ctx.log("W3: %.0f deliveries/s | deliver %s | ack %s | event ts->deliver %s | %s", t.deliver.count() / seconds,
                    t.deliver.summary(), t.ack.summary(), t.fromEventTs.summary(), totals);
        }
    }
}
