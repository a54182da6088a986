package dev.parley.ops.chaos.fault;

import java.util.concurrent.TimeUnit;

/**
 * A fault as it happened: on which node, when it was injected and when the node served again.
 *
 * @param fault          what was planned
 * @param step           the step it belonged to (1, 2, ...)
 * @param node           the node it hit (a broker target resolved at injection)
 * @param injectedNanos  {@link System#nanoTime()} of the kill, freeze or SIGTERM
 * @param recoveredNanos when the node was ready again (serving; for a freeze: thawed and listed by the cluster)
 * @param problem        what went wrong injecting or recovering it, or null
 */
public record FaultRecord(Fault fault, int step, String node, long injectedNanos, long recoveredNanos, String problem) {

    /** From injection to recovery, in milliseconds. */
    public long downMillis() {
        return TimeUnit.NANOSECONDS.toMillis(recoveredNanos - injectedNanos);
    }

    public boolean ok() {
        return problem == null;
    }
}
