package dev.parley.client;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * A failed request or connection: the gateway's {@code error} frame (docs/protocol.md "Error codes") or a local
 * reason ({@code disconnected}, {@code closed}, {@code request_timeout}).
 */
public class ParleyException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    /** Codes after which the same request (same clientMsgId / requestId) may be sent again. */
    public static final Set<String> RETRYABLE = Set.of("timeout", "unavailable", "rate_limited", "overloaded",
            "disconnected", "request_timeout");

    private final String code;
    private final Duration retryAfter;

    public ParleyException(String code, String message, Duration retryAfter) {
        super(code + ": " + message);
        this.code = code;
        this.retryAfter = retryAfter;
    }

    /** The error of an error frame's code, message and retryAfterMs. */
    public static ParleyException of(String code, String message, long retryAfterMs) {
        Duration after = retryAfterMs > 0 ? Duration.ofMillis(retryAfterMs) : null;
        return switch (code) {
            case "rate_limited" -> new RateLimitedException(message, after);
            case "overloaded" -> new OverloadedException(message, after);
            default -> new ParleyException(code, message, after);
        };
    }

    public String code() {
        return code;
    }

    /** How long the server asked to wait before trying again (rate_limited, overloaded). */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** True when sending the same request again (same key) can succeed. */
    public boolean isRetryable() {
        return RETRYABLE.contains(code);
    }

    /** The client sent too much: wait {@link #retryAfter()}, then retry with the same key. */
    public static final class RateLimitedException extends ParleyException {
        private static final long serialVersionUID = 1L;

        public RateLimitedException(String message, Duration retryAfter) {
            super("rate_limited", message, retryAfter);
        }
    }

    /** The service sheds load: wait {@link #retryAfter()}, then retry with the same key. */
    public static final class OverloadedException extends ParleyException {
        private static final long serialVersionUID = 1L;

        public OverloadedException(String message, Duration retryAfter) {
            super("overloaded", message, retryAfter);
        }
    }
}
