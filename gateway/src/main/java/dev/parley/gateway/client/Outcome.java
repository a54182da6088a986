package dev.parley.gateway.client;

import dev.parley.avro.result.Accepted;
import dev.parley.avro.result.CommandResult;
import dev.parley.avro.result.Duplicate;
import dev.parley.avro.result.Rejected;
import dev.parley.avro.result.Unchanged;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.LoggerFactory;

/** What a command came to, as both the WebSocket and the REST API report it. */
public sealed interface Outcome {

    /** An event was committed (or, for a retry, had been: {@code duplicate}). */
    record Done(long seq, String eventId, String messageId, boolean duplicate) implements Outcome {
    }

    /** Nothing to do (e.g. already a member); {@code head} is the channel's last seq. */
    record NoChange(String code, long head) implements Outcome {
    }

    /** The user's read cursor moved to {@code upTo} (no channel event: read cursors are user state). */
    record CursorMoved(long upTo) implements Outcome {
    }

    /**
     * Refused or failed: an error code of docs/protocol.md and a human message; {@code retryAfterMs} &gt; 0 when
     * the gateway asks the client to wait that long ({@code rate_limited}, {@code overloaded}).
     */
    record Failed(String code, String message, long retryAfterMs) implements Outcome {
        public Failed(String code, String message) {
            this(code, message, 0);
        }
    }

    static Outcome of(CommandResult result, Throwable error, long timeoutSeconds) {
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof TimeoutException) {
                return new Failed("timeout", "no committed result within " + timeoutSeconds
                        + " s; retry with the same id: a retry never creates a second event");
            }
            // The cause stays in the gateway's log: it names Kafka settings a client has no use for.
            LoggerFactory.getLogger(Outcome.class).warn("a command could not be sent: {}", cause.toString());
            return new Failed("unavailable", "the command could not be stored right now; retry with the same id");
        }
        Object o = result.getOutcome();
        if (o instanceof Accepted a) {
            return new Done(a.getSeq(), a.getEventId(), a.getMessageId(), false);
        }
        if (o instanceof Duplicate d) {
            return new Done(d.getSeq(), d.getEventId(), d.getMessageId(), true);
        }
        if (o instanceof Unchanged u) {
            return new NoChange(u.getCode(), u.getHead());
        }
        if (o instanceof dev.parley.avro.result.CursorMoved c) {
            return new CursorMoved(c.getUpTo());
        }
        Rejected r = (Rejected) o;
        return new Failed(r.getCode(), r.getMessage());
    }
}
