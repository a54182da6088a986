package dev.parley.gateway.admission;

/**
 * A token bucket: starts full with {@code burst} tokens, refills at {@code perSecond}. Time is passed in
 * (nanoseconds from any fixed origin), so it is tested without a clock. One bucket belongs to one connection or
 * one user: its lock is never shared by everyone.
 */
public final class TokenBucket {

    private final double perNano;
    private final double burst;
    private double tokens;
    private long last;

    public TokenBucket(Rate rate, long nowNanos) {
        this.perNano = rate.perSecond() / 1e9;
        this.burst = rate.burst();
        this.tokens = burst;
        this.last = nowNanos;
    }

    /** Takes a token: 0 when taken, else how many nanoseconds until one is available (nothing taken). */
    public synchronized long take(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - tokens) / perNano);
    }

    /** Gives back a token taken by {@link #take} (the request was refused by another bucket). */
    public synchronized void refund() {
        tokens = Math.min(burst, tokens + 1);
    }

    /** A full bucket is the same as a new one: it can be forgotten. */
    public synchronized boolean isFull(long nowNanos) {
        refill(nowNanos);
        return tokens >= burst;
    }

    private void refill(long now) {
        if (now > last) {
            tokens = Math.min(burst, tokens + (now - last) * perNano);
            last = now;
        }
    }
}
