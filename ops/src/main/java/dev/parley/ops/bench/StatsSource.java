package dev.parley.ops.bench;

/** A process whose counters the harness can read (a child JVM, or the load generator itself). */
interface StatsSource {

    /** Counters now; with {@code gc}, after full collections (the live heap). */
    ProcessStats stats(boolean gc);

    static StatsSource of(ChildProcess child) {
        return child::stats;
    }

    static StatsSource self(ProcessProbe probe) {
        return gc -> gc ? probe.afterGc() : probe.snapshot();
    }
}
