package dev.parley.ops.bench;

import java.util.concurrent.locks.LockSupport;

/** An open-loop schedule: operation i is due at {@code start + i / rate}, whether or not earlier ones finished. */
final class Pacer {

    /** Does operation {@code i}, due at {@code intendedNanos}. */
    interface Op {
        void run(long i, long intendedNanos);
    }

    private Pacer() {
    }

    static long intended(long startNanos, double perSecond, long i) {
        return startNanos + (long) (i * (1e9 / perSecond));
    }

    /**
     * Runs {@code count} operations on the calling thread, each as soon as it is due (late ones at once: their
     * latency is measured from when they were due, so the lateness counts).
     */
    static void run(long startNanos, double perSecond, long count, Op op) {
        for (long i = 0; i < count; i++) {
            long due = intended(startNanos, perSecond, i);
            sleepUntil(due);
            op.run(i, due);
        }
    }

    static void sleepUntil(long nanos) {
        long now;
        while ((now = System.nanoTime()) < nanos) {
            LockSupport.parkNanos(Math.min(nanos - now, 1_000_000));
        }
    }
}
