package dev.parley.ops.bench;

import java.util.Collection;
import java.util.List;

/**
 * The CPU side of a throughput number: how much CPU some processes spent per operation in a measured window
 * (issue 11: Parley's CPU per committed send at saturation next to the bare pipe's CPU per record).
 */
final class CpuCost {

    /** The processes of the system under test whose CPU a committed send costs (never the load generator). */
    static final List<String> PARLEY = List.of("kafka", "topology", "gateway");
    /** The bare EOS pipe's processes: the broker and the pipe (never the load generator that feeds and drains it). */
    static final List<String> EOS_PIPE = List.of("kafka", "eos-pipe");

    private CpuCost() {
    }

    /** The load generator (this JVM): its CPU per message received is the Java client's cost per delivery. */
    static final List<String> LOAD_GENERATOR = List.of("loadgen");

    /**
     * Milliseconds of CPU per operation: the named processes' CPU in the window (in cores, i.e. CPU seconds per
     * second) summed, divided by the operations per second measured over the same window.
     *
     * @return NaN when the rate is not positive or a named process was not measured in the window
     */
    static double millisPerOperation(List<ProcessStats.Delta> window, Collection<String> processes, double operationsPerSecond) {
        if (window == null || !(operationsPerSecond > 0)) {
            return Double.NaN;
        }
        double cores = 0;
        for (String name : processes) {
            ProcessStats.Delta d = window.stream().filter(x -> x.process().equals(name)).findFirst().orElse(null);
            if (d == null) {
                return Double.NaN;
            }
            cores += d.cores();
        }
        return 1000 * cores / operationsPerSecond;
    }
}
