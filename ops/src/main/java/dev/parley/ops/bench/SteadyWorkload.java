package dev.parley.ops.bench;

import java.time.Duration;
import java.util.List;

/**
 * W1 steady: 100 channels x 2 members online (200 connections), 2,000 sends/s ({@code --steady-rate}) open loop, round robin over the
 * channels, alternating the two members; send->ack at the sender and send->deliver at the other member.
 */
final class SteadyWorkload {

    static final double RATE = 2_000;

    private SteadyWorkload() {
    }

    static void run(BenchContext ctx, Rooms rooms) throws Exception {
        Measured m = measure(ctx, rooms, "W1", "w1.");
        MessageTracker t = m.tracker();
        long count = m.count();
        Results r = ctx.results;
        r.latency(t.ack);
        r.latency(t.deliver);
        r.put("W1.offered_per_s", ctx.steadyRate);
        r.put("W1.acked_per_s", t.ack.count() / (ctx.duration.toNanos() / 1e9));
        r.put("W1.sent", count);
        r.put("W1.acks", t.acks.get());
        r.put("W1.errors", t.errors.get());
        // per send the load generator sends 1 frame and receives 3 (its ack, its own event, the other member's copy)
        r.put("W1.loadgen_us_per_send", 1000 * CpuCost.millisPerOperation(m.cpu(), CpuCost.LOAD_GENERATOR,
                t.ack.count() / (ctx.duration.toNanos() / 1e9)));
        r.ledgers.put("W1", m.totals());
        r.processes.put("W1", m.cpu());
        if (t.lastError != null) {
            r.note("W1 error frame, e.g. " + t.lastError);
        }
        ctx.log("W1: ack %s | deliver %s | %s", t.ack.summary(), t.deliver.summary(), m.totals());
    }

    /** What one steady window measured. */
    record Measured(MessageTracker tracker, long count, DeliveryLedger.Totals totals, List<ProcessStats.Delta> cpu) {
    }

    /** W1's load for {@code --warmup} + {@code --duration}, measured in the second part (also W7's yardstick). */
    static Measured measure(BenchContext ctx, Rooms rooms, String name, String prefix) throws Exception {
        MessageTracker t = new MessageTracker(name, prefix, false);
        List<Member> all = rooms.all();
        all.forEach(c -> {
            c.after = c.lastSeq;
            c.handler = t;
        });
        long start = System.nanoTime() + 200_000_000L;
        long windowStart = start + ctx.warmup.toNanos();
        long windowEnd = windowStart + ctx.duration.toNanos();
        t.window(windowStart, windowEnd);
        ctx.results.span(name, "parley", windowStart, windowEnd); // "W1", or a W7/W8 window by its own name
        var cpu = Window.between(ctx.processes, windowStart, windowEnd);
        double rate = ctx.steadyRate;
        long count = (long) (rate * (ctx.warmup.toNanos() + ctx.duration.toNanos()) / 1e9);
        int channels = rooms.channels.size();
        ctx.log("%s: %d sends at %.0f/s over %d channels (%d s warm-up + %d s measured)", name, count, rate, channels,
                ctx.warmup.toSeconds(), ctx.duration.toSeconds());
        Progress progress = Progress.start(ctx, name, t);
        Pacer.run(start, rate, count, (i, due) -> {
            t.sends.set(i, due);
            int c = (int) (i % channels);
            Member sender = rooms.members.get(c).get((int) ((i / channels) % 2));
            t.send(sender, rooms.channels.get(c), i, BenchContext.TEXT);
        });
        DeliveryLedger.Totals totals = t.drain(count, Duration.ofSeconds(30));
        progress.stop();
        return new Measured(t, count, totals, cpu.get());
    }
}
