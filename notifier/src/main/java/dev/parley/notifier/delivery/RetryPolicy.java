package dev.parley.notifier.delivery;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;

/**
 * How often and how late a webhook call is retried: at most {@code maxAttempts} attempts, waits growing
 * exponentially from {@code initialBackoff} by {@code multiplier} up to {@code maxBackoff}, each randomized by
 * {@code ±jitter} (resilience4j's exponential random backoff), so receivers recovering from an outage are not
 * hit by every sender at once.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff, double jitter) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max attempts must be >= 1, got " + maxAttempts);
        }
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("jitter must be in [0, 1), got " + jitter);
        }
    }

    /** 8 attempts, 1 s doubling up to 60 s, ±50 %: about two minutes of retries before the dead-letter topic. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(8, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(60), 0.5);
    }

    /** Wait before attempt {@code attempt + 1}, after {@code attempt} (1-based) failed. */
    public Duration backoffAfter(int attempt) {
        IntervalFunction f = jitter == 0
                ? IntervalFunction.ofExponentialBackoff(initialBackoff, multiplier, maxBackoff)
                : IntervalFunction.ofExponentialRandomBackoff(initialBackoff, multiplier, jitter, maxBackoff);
        return Duration.ofMillis(f.apply(attempt));
    }

    public boolean exhausted(int attemptsMade) {
        return attemptsMade >= maxAttempts;
    }
}
