package dev.parley.gateway.admission;

/** The two buckets of one connection or one user: sends, and every other request. Either may be null (no limit). */
public final class Limits {

    private final TokenBucket sends;
    private final TokenBucket others;

    Limits(Rate sends, Rate others, long nowNanos) {
        this.sends = sends == null ? null : new TokenBucket(sends, nowNanos);
        this.others = others == null ? null : new TokenBucket(others, nowNanos);
    }

    TokenBucket bucket(boolean send) {
        return send ? sends : others;
    }

    boolean isIdle(long nowNanos) {
        return (sends == null || sends.isFull(nowNanos)) && (others == null || others.isFull(nowNanos));
    }
}
