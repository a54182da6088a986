package dev.parley.ops.bench;

import java.time.Instant;

/**
 * What identifies a run in the report.
 *
 * @param id          e.g. {@code 20261114-0530}; names the plot
 * @param started     when it started
 * @param commit      {@code git rev-parse --short HEAD} (+ "-dirty" if the tree had changes), or "unknown"
 * @param machine     cores, OS and Java
 * @param loadStart   load average (1, 5, 15 min) when it started
 * @param loadEnd     load average when it ended
 * @param settings    durations, scale, commit interval, mode
 * @param label       what kind of run (e.g. "full size", "dev, short")
 */
record RunInfo(String id, Instant started, String commit, String machine, String loadStart, String loadEnd,
               String settings, String label) {
}
