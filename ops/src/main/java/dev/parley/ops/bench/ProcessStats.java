package dev.parley.ops.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A process's counters at one moment, as its own MXBeans report them.
 *
 * @param wallNanos       when ({@link System#nanoTime()} of the reporting process; only differences matter)
 * @param cpuNanos        CPU time of the whole process so far
 * @param heapUsed        bytes of heap in use
 * @param heapCommitted   bytes of heap committed
 * @param gcCount         collections so far (pauses of young and full collections)
 * @param gcPauseMillis   their total duration so far
 * @param maxPauseMillis  the longest since the previous snapshot
 * @param jitMillis       CPU time of the JIT compiler threads so far (a cold JVM spends a good part of a core on them)
 */
public record ProcessStats(long wallNanos, long cpuNanos, long heapUsed, long heapCommitted, long gcCount,
                           long gcPauseMillis, long maxPauseMillis, long jitMillis) {

    public String encode() {
        return "wall=" + wallNanos + " cpu=" + cpuNanos + " heap=" + heapUsed + " committed=" + heapCommitted
                + " gc=" + gcCount + " gcms=" + gcPauseMillis + " maxpause=" + maxPauseMillis + " jit=" + jitMillis;
    }

    public static ProcessStats decode(String line) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String part : line.trim().split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                m.put(part.substring(0, eq), Long.parseLong(part.substring(eq + 1)));
            }
        }
        return new ProcessStats(m.getOrDefault("wall", 0L), m.getOrDefault("cpu", 0L), m.getOrDefault("heap", 0L),
                m.getOrDefault("committed", 0L), m.getOrDefault("gc", 0L), m.getOrDefault("gcms", 0L),
                m.getOrDefault("maxpause", 0L), m.getOrDefault("jit", 0L));
    }

    /**
     * What happened between two snapshots of one process.
     *
     * @param cores    CPU time per wall-clock time (1.0 = one core busy all the time)
     * @param jitCores CPU time of the JIT compiler threads per wall-clock time (part of {@code cores})
     */
    public record Delta(String process, double cores, long heapUsedEnd, long gcCount, long gcPauseMillis, long maxPauseMillis,
                        double jitCores) {
    }

    public static Delta delta(String process, ProcessStats start, ProcessStats end) {
        double wall = Math.max(1, end.wallNanos - start.wallNanos);
        return new Delta(process, (end.cpuNanos - start.cpuNanos) / wall, end.heapUsed, end.gcCount - start.gcCount,
                end.gcPauseMillis - start.gcPauseMillis, end.maxPauseMillis, (end.jitMillis - start.jitMillis) * 1e6 / wall);
    }
}
