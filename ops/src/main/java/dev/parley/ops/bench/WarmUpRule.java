package dev.parley.ops.bench;

import java.time.Duration;
import java.util.List;

/**
 * When the system counts as warm: the warm-up has run its minimum, and the JIT compilers of the processes on
 * the machine (load generator included: it shares the cores) have nearly stopped; or the maximum has passed.
 * A freshly started JVM spends a good part of a core compiling for its first minute of traffic (about 0.2 core
 * per JVM on the 2-core box, see docs/benchmarks.md "W1 collapse"), which a measured window must not include.
 */
record WarmUpRule(Duration minimum, Duration maximum, double quietJitCores) {

    /** At least 2 x --warmup, until the JIT compiles less than 0.15 core summed over the processes, at most 180 s. */
    static WarmUpRule of(Duration minimum) {
        return new WarmUpRule(minimum, Duration.ofSeconds(180).compareTo(minimum) > 0 ? Duration.ofSeconds(180) : minimum, 0.15);
    }

    /** JIT compilation summed over the processes of one window, in cores. */
    static double jitCores(List<ProcessStats.Delta> window) {
        return window.stream().mapToDouble(ProcessStats.Delta::jitCores).sum();
    }

    /**
     * @param elapsed  how long the warm-up has run
     * @param jitCores the JIT compilation of the last check window, summed over the processes
     */
    boolean done(Duration elapsed, double jitCores) {
        if (elapsed.compareTo(minimum) < 0) {
            return false;
        }
        return jitCores <= quietJitCores || elapsed.compareTo(maximum) >= 0;
    }
}
