package dev.parley.ops.cluster;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** How the cluster tells that a node it started serves: asked from outside, the way its clients see it. */
public interface ReadinessProbe {

    /** One check; false (never an exception) while the node is not ready. */
    boolean isReady();

    /** What is checked, for logs and errors, e.g. {@code GET http://127.0.0.1:19030/health says RUNNING}. */
    String describe();

    /**
     * Checks every 200 ms until ready.
     *
     * @param alive false once the process is gone (then waiting is pointless)
     * @return true when ready, false when the process died first
     * @throws ClusterException when the timeout passed
     */
    default boolean await(Duration timeout, BooleanSupplier alive) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!alive.getAsBoolean()) {
                return false;
            }
            if (isReady()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                throw new ClusterException("not ready within " + timeout.toSeconds() + " s: " + describe());
            }
            Thread.sleep(200);
        }
    }
}
