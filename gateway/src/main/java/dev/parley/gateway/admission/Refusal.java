package dev.parley.gateway.admission;

/**
 * A request the gateway will not take now: {@code rate_limited} (the caller's own rate) or {@code overloaded}
 * (the gateway or the topology behind it is saturated); retry after {@code retryAfterMs}.
 */
public record Refusal(String code, String message, long retryAfterMs) {

    public static final String RATE_LIMITED = "rate_limited";
    public static final String OVERLOADED = "overloaded";

    /** Whole seconds for an HTTP Retry-After header (at least 1). */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfterMs + 999) / 1000);
    }
}
