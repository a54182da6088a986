package dev.parley.client;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter: the n-th retry waits a uniformly random time in
 * [0, min(max, base * 2^n)], so that clients cut off together do not come back together.
 */
public final class Backoff {

    private final long baseMs;
    private final long maxMs;
    private final DoubleSupplier random;
    private int attempt;

    public Backoff(Duration base, Duration max, DoubleSupplier random) {
        this.baseMs = base.toMillis();
        this.maxMs = max.toMillis();
        this.random = random;
    }

    /** The delay before the next attempt, at least {@code floorMs} (a server's retryAfterMs); counts the attempt. */
    public synchronized long nextMillis(long floorMs) {
        long ceiling = Math.min(maxMs, baseMs << Math.min(attempt, 30));
        attempt++;
        return Math.max((long) (random.getAsDouble() * ceiling), floorMs);
    }

    public synchronized void reset() {
        attempt = 0;
    }
}
