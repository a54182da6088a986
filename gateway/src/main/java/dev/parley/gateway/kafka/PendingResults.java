package dev.parley.gateway.kafka;

import dev.parley.avro.result.CommandResult;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Commands waiting for their committed result, by request id; each gives up after a timeout. */
public final class PendingResults {

    /** A waiting command and when it was sent (no allocation beyond the future itself). */
    private static final class Waiting extends CompletableFuture<CommandResult> {
        final long sentNanos = System.nanoTime();
    }

    private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();
    private final Duration timeout;

    public PendingResults(Duration timeout) {
        this.timeout = timeout;
    }

    /** Registers a request; the future fails with a TimeoutException if no result arrives in time. */
    public CompletableFuture<CommandResult> await(String requestId) {
        Waiting f = new Waiting();
        waiting.put(requestId, f);
        f.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((r, e) -> waiting.remove(requestId));
        return f;
    }

    /** A result arrived: completes its request, if anyone still waits for it. */
    public boolean complete(CommandResult result) {
        Waiting f = waiting.remove(result.getRequestId());
        return f != null && f.complete(result);
    }

    public void fail(String requestId, Throwable error) {
        Waiting f = waiting.remove(requestId);
        if (f != null) {
            f.completeExceptionally(error);
        }
    }

    public int size() {
        return waiting.size();
    }

    /** How long the oldest command still waiting has waited, in ms (0 when none): how far results run behind. */
    public long oldestMillis() {
        long now = System.nanoTime();
        long oldest = now;
        for (Waiting w : waiting.values()) {
            oldest = Math.min(oldest, w.sentNanos);
        }
        return (now - oldest) / 1_000_000;
    }
}
