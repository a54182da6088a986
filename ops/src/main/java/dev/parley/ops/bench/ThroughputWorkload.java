package dev.parley.ops.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * W2 max throughput: the W1 connections, closed loop: every connection keeps a fixed number of sends
 * outstanding and sends the next one as soon as one is acked. Committed sends/s = acks per second in the
 * measured window. (Latency here is closed-loop and only informational: saturation, not service.)
 */
final class ThroughputWorkload {

    private ThroughputWorkload() {
    }

    /**
     * Warms the system up (JIT, caches, the first transactions) before anything is measured: the same
     * closed loop with 2 sends outstanding per connection for {@code duration}, then until every ack is in.
     */
    static void warmUp(BenchContext ctx, Rooms rooms, Duration duration) throws Exception {
        MessageTracker t = new MessageTracker("warm-up", "wu.", false);
        long end = System.nanoTime() + duration.toNanos();
        t.onAck = (c, now) -> {
            if (now < end) {
                long i = t.sends.add(System.nanoTime());
                c.send(BenchClient.send(c.home, "wu." + i, BenchContext.TEXT));
            }
        };
        List<BenchClient> all = rooms.all();
        all.forEach(c -> {
            c.after = c.lastSeq;
            c.handler = t;
        });
        ctx.log("warm-up: %d connections x 2 outstanding sends for %d s", all.size(), duration.toSeconds());
        for (int k = 0; k < 2; k++) {
            for (BenchClient c : all) {
                long i = t.sends.add(System.nanoTime());
                c.send(BenchClient.send(c.home, "wu." + i, BenchContext.TEXT));
            }
        }
        Pacer.sleepUntil(end);
        DeliveryLedger.Totals totals = t.drain(t.sends.count(), Duration.ofSeconds(60));
        ctx.log("warm-up: %d sends, %d acked, ack %s, %s", t.sends.count(), t.acks.get(), t.ack.summary(), totals);
        Thread.sleep(1000);
    }

    static void run(BenchContext ctx, Rooms rooms) throws Exception {
        MessageTracker t = new MessageTracker("W2", "w2.", false);
        List<BenchClient> all = rooms.all();
        long start = System.nanoTime();
        long windowStart = start + ctx.warmup.toNanos();
        long windowEnd = windowStart + ctx.shortDuration.toNanos();
        t.window(windowStart, windowEnd);
        AtomicLong inWindow = new AtomicLong();
        t.onAck = (c, now) -> {
            if (now >= windowStart && now < windowEnd) {
                inWindow.incrementAndGet();
            }
            if (now < windowEnd) {
                long i = t.sends.add(System.nanoTime());
                c.send(BenchClient.send(c.home, "w2." + i, BenchContext.TEXT));
            }
        };
        all.forEach(c -> {
            c.after = c.lastSeq;
            c.handler = t;
        });
        var cpu = Window.between(ctx.processes, windowStart, windowEnd);
        ctx.log("W2: %d connections x %d outstanding sends, closed loop (%d s warm-up + %d s measured)", all.size(),
                ctx.saturationWindow, ctx.warmup.toSeconds(), ctx.shortDuration.toSeconds());
        for (int k = 0; k < ctx.saturationWindow; k++) {
            for (BenchClient c : all) {
                long i = t.sends.add(System.nanoTime());
                c.send(BenchClient.send(c.home, "w2." + i, BenchContext.TEXT));
            }
        }
        Pacer.sleepUntil(windowEnd);
        DeliveryLedger.Totals totals = t.drain(t.sends.count(), Duration.ofSeconds(60));
        Results r = ctx.results;
        double perSecond = inWindow.get() / (ctx.shortDuration.toNanos() / 1e9);
        r.put("W2.sends_per_s", perSecond);
        r.put("W2.deliveries_per_s", t.deliver.count() / (ctx.shortDuration.toNanos() / 1e9));
        r.put("W2.errors", t.errors.get());
        r.latency(t.ack);
        r.ledgers.put("W2", totals);
        r.processes.put("W2", cpu.get());
        if (t.lastError != null) {
            r.note("W2 error frame, e.g. " + t.lastError);
        }
        ctx.log("W2: %.0f committed sends/s | ack %s | %s", perSecond, t.ack.summary(), totals);
    }
}
