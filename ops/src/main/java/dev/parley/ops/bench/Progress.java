package dev.parley.ops.bench;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Prints a workload's acks, events and errors per second while it runs (to see a backlog build or drain). */
final class Progress {

    private final ScheduledExecutorService timer;

    private Progress(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    static Progress start(BenchContext ctx, String name, MessageTracker t) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread th = new Thread(r, "bench-progress");
            th.setDaemon(true);
            return th;
        });
        long[] last = new long[4];
        timer.scheduleAtFixedRate(() -> {
            long sent = t.sends.count();
            long acks = t.acks.get();
            long events = t.events.get();
            long errors = t.errors.get();
            ctx.log("%s: %d sends/s, %d acks/s, %d events/s, %d errors/s; %d acks outstanding", name, sent - last[0], acks - last[1],
                    events - last[2], errors - last[3], sent - acks - errors);
            last[0] = sent;
            last[1] = acks;
            last[2] = events;
            last[3] = errors;
        }, 1, 1, TimeUnit.SECONDS);
        return new Progress(timer);
    }

    void stop() {
        timer.shutdownNow();
    }
}
