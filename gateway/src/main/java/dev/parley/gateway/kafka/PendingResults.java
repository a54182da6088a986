package dev.parley.gateway.kafka;

import dev.parley.avro.result.CommandResult;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Commands waiting for their committed result, by request id; each gives up after a timeout. */
public final class PendingResults {

    private final Map<String, CompletableFuture<CommandResult>> waiting = new ConcurrentHashMap<>();
    private final Duration timeout;

    public PendingResults(Duration timeout) {
        this.timeout = timeout;
    }

    /** Registers a request; the future fails with a TimeoutException if no result arrives in time. */
    public CompletableFuture<CommandResult> await(String requestId) {
        CompletableFuture<CommandResult> f = new CompletableFuture<>();
        waiting.put(requestId, f);
        f.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((r, e) -> waiting.remove(requestId));
        return f;
    }

    /** A result arrived: completes its request, if anyone still waits for it. */
    public boolean complete(CommandResult result) {
        CompletableFuture<CommandResult> f = waiting.remove(result.getRequestId());
        return f != null && f.complete(result);
    }

    public void fail(String requestId, Throwable error) {
        CompletableFuture<CommandResult> f = waiting.remove(requestId);
        if (f != null) {
            f.completeExceptionally(error);
        }
    }

    public int size() {
        return waiting.size();
    }
}
