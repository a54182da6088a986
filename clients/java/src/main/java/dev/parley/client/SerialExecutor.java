package dev.parley.client;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client's thread of control on a shared pool: tasks run one at a time, in the order they were submitted, each
 * seeing what the previous ones did, on whichever pool thread is free. Many clients share a few threads this way
 * (a thread per client does not scale to the thousands of connections of a bot host or a load generator).
 */
final class SerialExecutor implements Executor {

    private static final System.Logger LOG = System.getLogger(SerialExecutor.class.getName());
    /** Tasks run per turn on a pool thread before it is handed back, so that one busy client cannot hold a thread. */
    private static final int BATCH = 64;

    private final ScheduledExecutorService pool;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean queued = new AtomicBoolean();

    SerialExecutor(ScheduledExecutorService pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        handOver();
    }

    /**
     * {@link #execute}, but when no turn is under way the calling thread takes it (runs this task and what queued up
     * behind it) instead of handing it to the pool: for the WebSocket client's I/O threads, so that a frame is handled
     * where it was read, without a hand-over and a wake-up per frame. Order and one-at-a-time hold as for
     * {@link #execute}.
     */
    void executeHere(Runnable task) {
        if (!queued.compareAndSet(false, true)) {
            execute(task); // a turn is under way: behind it
            return;
        }
        try {
            if (!tasks.isEmpty()) {
                tasks.add(task); // queued by another thread just now: those first
            } else {
                run(task); // idle: no queue at all
            }
        } finally {
            drain(); // what queued up meanwhile, then the turn is handed back
        }
    }

    /** Runs {@code task} in this order after {@code delay}. */
    ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
        return pool.schedule(() -> execute(task), delay, unit);
    }

    private void handOver() {
        if (!tasks.isEmpty() && queued.compareAndSet(false, true)) {
            try {
                pool.execute(this::drain);
            } catch (RejectedExecutionException e) {
                tasks.clear(); // the pool is shut down: the client is closed
            }
        }
    }

    private static void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a task of the Parley client failed", e);
        }
    }

    private void drain() {
        try {
            for (int i = 0; i < BATCH; i++) {
                Runnable task = tasks.poll();
                if (task == null) {
                    break;
                }
                run(task);
            }
        } finally {
            queued.set(false);
            handOver();
        }
    }
}
