package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {

    private final ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(4);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void manyClientsOnFourThreadsEachRunTheirTasksInOrderAndOneAtATimeWhereverTheyRun() throws Exception {
        int clients = 50;
        int tasks = 2_000;
        List<List<Integer>> seen = new ArrayList<>();
        AtomicInteger[] running = new AtomicInteger[clients];
        AtomicInteger overlaps = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(clients * tasks);
        List<SerialExecutor> loops = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            seen.add(new ArrayList<>()); // touched only by its client's tasks: no lock, as in the client
            running[c] = new AtomicInteger();
            loops.add(new SerialExecutor(pool));
        }
        for (int i = 0; i < tasks; i++) {
            for (int c = 0; c < clients; c++) {
                int client = c;
                int n = i;
                Runnable task = () -> {
                    if (running[client].incrementAndGet() > 1) {
                        overlaps.incrementAndGet();
                    }
                    seen.get(client).add(n);
                    running[client].decrementAndGet();
                    done.countDown();
                };
                if (n % 3 == 0) {
                    loops.get(c).executeHere(task); // as the I/O threads do: here when no turn is under way
                } else {
                    loops.get(c).execute(task);
                }
            }
        }
        assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(overlaps.get()).isZero();
        List<Integer> expected = java.util.stream.IntStream.range(0, tasks).boxed().toList();
        for (int c = 0; c < clients; c++) {
            assertThat(seen.get(c)).containsExactlyElementsOf(expected);
        }
        assertThat(pool.getPoolSize()).isLessThanOrEqualTo(4);
    }

    @Test
    void tasksSubmittedAfterThePoolStoppedAreDropped() {
        SerialExecutor loop = new SerialExecutor(pool);
        pool.shutdownNow();
        loop.execute(() -> {
            throw new AssertionError("ran after shutdown");
        });
    }
}
