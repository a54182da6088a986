package dev.parley.ops.bench;

import java.time.Duration;
import java.util.List;

/**
 * W1 steady: 100 channels x 2 members online (200 connections), 2,000 sends/s open loop, round robin over the
 * channels, alternating the two members; send->ack at the sender and send->deliver at the other member.
 */
final class SteadyWorkload {

    static final double RATE = 2_000;

    private SteadyWorkload() {
    }

    static void run(BenchContext ctx, Rooms rooms) throws Exception {
        MessageTracker t = new MessageTracker("W1", "w1.", false);
        List<BenchClient> all = rooms.all();
        all.forEach(c -> {
            c.after = c.lastSeq;
            c.handler = t;
        });
        long start = System.nanoTime() + 200_000_000L;
        long windowStart = start + ctx.warmup.toNanos();
        long windowEnd = windowStart + ctx.duration.toNanos();
        t.window(windowStart, windowEnd);
        ctx.results.span("W1", "parley", windowStart, windowEnd);
        var cpu = Window.between(ctx.processes, windowStart, windowEnd);
        long count = (long) (RATE * (ctx.warmup.toNanos() + ctx.duration.toNanos()) / 1e9);
        int channels = rooms.channels.size();
        ctx.log("W1: %d sends at %.0f/s over %d channels (%d s warm-up + %d s measured)", count, RATE, channels,
                ctx.warmup.toSeconds(), ctx.duration.toSeconds());
        Progress progress = Progress.start(ctx, "W1", t);
        Pacer.run(start, RATE, count, (i, due) -> {
            t.sends.set(i, due);
            int c = (int) (i % channels);
            BenchClient sender = rooms.members.get(c).get((int) ((i / channels) % 2));
            sender.send(BenchClient.send(rooms.channels.get(c), "w1." + i, BenchContext.TEXT));
        });
        DeliveryLedger.Totals totals = t.drain(count, Duration.ofSeconds(30));
        progress.stop();
        Results r = ctx.results;
        r.latency(t.ack);
        r.latency(t.deliver);
        r.put("W1.offered_per_s", RATE);
        r.put("W1.acked_per_s", t.ack.count() / (ctx.duration.toNanos() / 1e9));
        r.put("W1.sent", count);
        r.put("W1.acks", t.acks.get());
        r.put("W1.errors", t.errors.get());
        r.ledgers.put("W1", totals);
        r.processes.put("W1", cpu.get());
        if (t.lastError != null) {
            r.note("W1 error frame, e.g. " + t.lastError);
        }
        ctx.log("W1: ack %s | deliver %s | %s", t.ack.summary(), t.deliver.summary(), totals);
    }
}
