package dev.parley.ops.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * W2 max throughput: the W1 connections, closed loop: every connection keeps a fixed number of sends
 * outstanding and sends the next one as soon as one is acked. Committed sends/s = acks per second in the
 * measured window. (Latency here is closed-loop and only informational: saturation, not service.)
 */
final class ThroughputWorkload {

    private ThroughputWorkload() {
    }

    /** How often the warm-up checks whether the JIT compilers have quieted down. */
    static final Duration JIT_CHECK = Duration.ofSeconds(5);

    /**
     * Warms the system up (JIT, caches, the first transactions) before anything is measured: the same closed loop
     * with 2 sends outstanding per connection for {@code duration} and then, checked every 5 s, until the JIT
     * compilers of the processes have nearly stopped ({@link WarmUpRule}); then until every ack is in.
     */
    static void warmUp(BenchContext ctx, Rooms rooms, Duration duration) throws Exception {
        MessageTracker t = new MessageTracker("warm-up", "wu.", false);
        AtomicBoolean warming = new AtomicBoolean(true);
        t.onAck = (c, now) -> {
            if (warming.get()) {
                t.send(c, c.home, t.sends.add(System.nanoTime()), BenchContext.TEXT);
            }
        };
        List<Member> all = rooms.all();
        all.forEach(c -> {
            c.after = c.lastSeq;
            c.handler = t;
        });
        WarmUpRule rule = ctx.warmUpRule(duration);
        ctx.log("warm-up: %d connections x 2 outstanding sends for %d s, then until the JIT compilers are quiet (< %.2f core, "
                + "at most %d s)", all.size(), duration.toSeconds(), rule.quietJitCores(), rule.maximum().toSeconds());
        long begin = System.nanoTime();
        for (int k = 0; k < 2; k++) {
            for (Member c : all) {
                t.send(c, c.home, t.sends.add(System.nanoTime()), BenchContext.TEXT);
            }
        }
        Pacer.sleepUntil(begin + Math.max(0, duration.toNanos() - JIT_CHECK.toNanos()));
        double jit;
        Duration elapsed;
        do {
            Window w = Window.begin(ctx.processes);
            Pacer.sleepUntil(System.nanoTime() + JIT_CHECK.toNanos());
            jit = WarmUpRule.jitCores(w.end());
            elapsed = Duration.ofNanos(System.nanoTime() - begin);
            if (!rule.done(elapsed, jit) && elapsed.compareTo(duration) >= 0) {
                ctx.log("warm-up: %d s, JIT compiling %.2f core; %d sends acked", elapsed.toSeconds(), jit, t.acks.get());
            }
        } while (!rule.done(elapsed, jit));
        warming.set(false);
        DeliveryLedger.Totals totals = t.drain(t.sends.count(), Duration.ofSeconds(60));
        ctx.results.put("warmup.s", elapsed.toMillis() / 1000.0);
        ctx.results.put("warmup.jit_cores", jit);
        ctx.log("warm-up: %d sends in %d s, %d acked, JIT compiling %.2f core at the end, ack %s, %s", t.sends.count(),
                elapsed.toSeconds(), t.acks.get(), jit, t.ack.summary(), totals);
        Thread.sleep(1000);
    }

    static void run(BenchContext ctx, Rooms rooms) throws Exception {
        MessageTracker t = new MessageTracker("W2", "w2.", false);
        List<Member> all = rooms.all();
        long start = System.nanoTime();
        long windowStart = start + ctx.warmup.toNanos();
        long windowEnd = windowStart + ctx.shortDuration.toNanos();
        t.window(windowStart, windowEnd);
        ctx.results.span("W2", "parley", windowStart, windowEnd);
        AtomicLong inWindow = new AtomicLong();
        t.onAck = (c, now) -> {
            if (now >= windowStart && now < windowEnd) {
                inWindow.incrementAndGet();
            }
            if (now < windowEnd) {
                t.send(c, c.home, t.sends.add(System.nanoTime()), BenchContext.TEXT);
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
            for (Member c : all) {
                t.send(c, c.home, t.sends.add(System.nanoTime()), BenchContext.TEXT);
            }
        }
        Pacer.sleepUntil(windowEnd);
        DeliveryLedger.Totals totals = t.drain(t.sends.count(), Duration.ofSeconds(60));
        Results r = ctx.results;
        double perSecond = inWindow.get() / (ctx.shortDuration.toNanos() / 1e9);
        var window = cpu.get();
        double cpuPerSend = CpuCost.millisPerOperation(window, CpuCost.PARLEY, perSecond);
        r.put("W2.sends_per_s", perSecond);
        r.put("W2.cpu_ms_per_send", cpuPerSend);
        r.put("W2.deliveries_per_s", t.deliver.count() / (ctx.shortDuration.toNanos() / 1e9));
        r.put("W2.errors", t.errors.get());
        r.latency(t.ack);
        r.ledgers.put("W2", totals);
        r.processes.put("W2", window);
        if (t.lastError != null) {
            r.note("W2 error frame, e.g. " + t.lastError);
        }
        ctx.log("W2: %.0f committed sends/s, %.4f ms of CPU per send (kafka + topology + gateway) | ack %s | %s", perSecond,
                cpuPerSend, t.ack.summary(), totals);
    }
}
