package dev.parley.gateway.client;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * Runs one connection's tasks one at a time, in order, on a shared pool; {@link #moveTo} switches the pool (a
 * connection's hello runs on the handshake lane, its later frames on the workers) without breaking the order.
 */
final class SerialExecutor implements Executor {

    private volatile Executor pool;
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    /** The tasks from now on run on {@code other} (the one running, if any, finishes where it is). */
    void moveTo(Executor other) {
        if (pool != other) { // a plain read: a welcomed connection asks after every frame, and moves once
            pool = other;
        }
    }

    @Override
    public synchronized void execute(Runnable task) {
        tasks.add(task);
        if (!running) {
            running = true;
            pool.execute(this::drain);
        }
    }

    private void drain() {
        Executor mine = pool;
        while (true) {
            Runnable next;
            synchronized (this) {
                if (pool != mine && !tasks.isEmpty()) {
                    pool.execute(this::drain); // moved: the rest runs on the new pool, still one at a time
                    return;
                }
                next = tasks.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(SerialExecutor.class).error("connection task failed", e);
            }
        }
    }
}
