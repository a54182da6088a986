package dev.parley.gateway.admission;

/**
 * The two buckets of one connection or one user: sends, and every other request. Either may be null (no limit).
 * A connection's also keeps its {@link SendOrder} (a user's is unused).
 */
public final class Limits {

    private final TokenBucket sends;
    private final TokenBucket others;
    private final SendOrder sendOrder = new SendOrder();

    Limits(Rate sends, Rate others, long nowNanos) {
        this.sends = sends == null ? null : new TokenBucket(sends, nowNanos);
        this.others = others == null ? null : new TokenBucket(others, nowNanos);
    }

    TokenBucket bucket(boolean send) {
        return send ? sends : others;
    }

    public SendOrder sendOrder() {
        return sendOrder;
    }

    boolean isIdle(long nowNanos) {
        return (sends == null || sends.isFull(nowNanos)) && (others == null || others.isFull(nowNanos));
    }
}
