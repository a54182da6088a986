package dev.parley.ops.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Snapshots of every process at the start and the end of a measured window: CPU, heap and GC within it. */
final class Window {

    private final Map<String, StatsSource> processes;
    private final Map<String, ProcessStats> start = new LinkedHashMap<>();

    private Window(Map<String, StatsSource> processes) {
        this.processes = processes;
    }

    static Window begin(Map<String, StatsSource> processes) {
        Window w = new Window(processes);
        processes.forEach((name, p) -> w.start.put(name, p.stats(false)));
        return w;
    }

    List<ProcessStats.Delta> end() {
        List<ProcessStats.Delta> out = new ArrayList<>();
        processes.forEach((name, p) -> out.add(ProcessStats.delta(name, start.get(name), p.stats(false))));
        return out;
    }

    /** Begins at {@code startNanos} and ends at {@code endNanos} on a timer thread, off the load generator's paths. */
    static CompletableFuture<List<ProcessStats.Delta>> between(Map<String, StatsSource> processes, long startNanos, long endNanos) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-window");
            t.setDaemon(true);
            return t;
        });
        CompletableFuture<List<ProcessStats.Delta>> result = new CompletableFuture<>();
        long now = System.nanoTime();
        timer.schedule(() -> {
            try {
                Window w = begin(processes);
                timer.schedule(() -> {
                    try {
                        result.complete(w.end());
                    } catch (RuntimeException e) {
                        result.completeExceptionally(e);
                    } finally {
                        timer.shutdown();
                    }
                }, Math.max(0, endNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
                timer.shutdown();
            }
        }, Math.max(0, startNanos - now), TimeUnit.NANOSECONDS);
        return result;
    }
}
