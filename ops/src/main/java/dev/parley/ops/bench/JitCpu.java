package dev.parley.ops.bench;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time this JVM's JIT compiler threads have used so far. On Linux it is read from {@code /proc/self/task}
 * (the threads named "C1/C2 CompilerThread..."): real CPU time, where the JVM's own compilation time
 * ({@link CompilationMXBean}, the fallback elsewhere) is elapsed time and grows with every other process that
 * competes for the cores. Compiler threads come and go; a thread's last reading is kept when it exits.
 */
final class JitCpu {

    /** Linux reports thread CPU in clock ticks of 1/100 s (USER_HZ). */
    private static final long MILLIS_PER_TICK = 10;
    private static final Path TASKS = Path.of("/proc/self/task");

    private final Map<String, Long> lastTicks = new HashMap<>();
    private long exitedTicks;
    private final boolean proc = Files.isDirectory(TASKS);

    synchronized long millis() {
        if (!proc) {
            CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
            return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
        }
        Map<String, Long> now = new HashMap<>();
        try (Stream<Path> tasks = Files.list(TASKS)) {
            tasks.forEach(task -> {
                try {
                    String name = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).trim();
                    if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                        now.put(task.getFileName().toString(), ticks(Files.readString(task.resolve("stat"), StandardCharsets.UTF_8)));
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread exited while we looked
                }
            });
        } catch (IOException e) {
            return (exitedTicks + lastTicks.values().stream().mapToLong(Long::longValue).sum()) * MILLIS_PER_TICK;
        }
        lastTicks.forEach((tid, ticks) -> {
            if (!now.containsKey(tid)) {
                exitedTicks += ticks;
            }
        });
        lastTicks.clear();
        lastTicks.putAll(now);
        return (exitedTicks + now.values().stream().mapToLong(Long::longValue).sum()) * MILLIS_PER_TICK;
    }

    /** utime + stime of a {@code /proc/<pid>/task/<tid>/stat} line (fields 14 and 15; the name in parentheses may hold spaces). */
    static long ticks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
