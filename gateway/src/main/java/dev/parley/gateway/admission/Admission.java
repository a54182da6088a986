package dev.parley.gateway.admission;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Whether the gateway takes a request now: the one admission path of WebSocket and REST. In order: shedding
 * (commands only: too many in flight on this gateway, or the topology's results running behind), then the
 * caller's connection bucket, then its user bucket. O(1) per request: counters and two buckets, no
 * allocation when admitted, no lock shared by all connections. Pure: time comes from the clock passed in, the
 * results' lag from {@link #observeOldestPending}.
 */
public final class Admission {

    private final AdmissionSettings settings;
    private final LongSupplier nanoClock;
    private final Map<String, Limits> users = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile long oldestPendingMs;

    public Admission(AdmissionSettings settings, LongSupplier nanoClock) {
        this.settings = settings;
        this.nanoClock = nanoClock;
    }

    public AdmissionSettings settings() {
        return settings;
    }

    /** The buckets of a new connection. */
    public Limits newConnection() {
        return new Limits(settings.connectionSends(), settings.connectionOthers(), nanoClock.getAsLong());
    }

    /**
     * A command (a send, or any other change) of {@code user} over {@code connection} (null for REST). When
     * admitted (null), it counts as in flight until {@link #finished()}.
     */
    public Refusal admitCommand(Limits connection, String user, boolean send) {
        Refusal shed = shed(inFlight.get(), settings.maxInFlight(), oldestPendingMs, settings.shedAfter().toMillis());
        if (shed != null) {
            return shed;
        }
        Refusal limited = rate(connection, user, send);
        if (limited != null) {
            return limited;
        }
        if (inFlight.incrementAndGet() > settings.maxInFlight()) {
            inFlight.decrementAndGet();
            return shed(settings.maxInFlight(), settings.maxInFlight(), 0, Long.MAX_VALUE);
        }
        return null;
    }

    /**
     * A send of {@code user} to {@code channel} over {@code connection} (null for REST): refused while an earlier
     * refused send of the connection to the channel has not come again ({@link SendOrder}), then as
     * {@link #admitCommand}; a refusal holds the connection's later sends to the channel.
     */
    public Refusal admitSend(Limits connection, String user, String channel, String clientMsgId) {
        if (connection == null) {
            return admitCommand(null, user, true);
        }
        long now = nanoClock.getAsLong();
        Refusal held = connection.sendOrder().heldBack(channel, clientMsgId, now);
        if (held != null) {
            return held;
        }
        Refusal refused = admitCommand(connection, user, true);
        if (refused != null) {
            connection.sendOrder().refused(channel, clientMsgId, refused, now);
        }
        return refused;
    }

    /** An admitted command has its outcome. */
    public void finished() {
        inFlight.decrementAndGet();
    }

    /** Any other request (reads, subscribe, ping): only the rate applies. */
    public Refusal admitOther(Limits connection, String user) {
        return rate(connection, user, false);
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** The age of the oldest command still waiting for its committed result (sampled by the gateway). */
    public void observeOldestPending(long ageMs) {
        oldestPendingMs = ageMs;
    }

    /** Forgets users whose buckets are full again (a full bucket is the same as a new one). */
    public void sweep() {
        long now = nanoClock.getAsLong();
        users.entrySet().removeIf(e -> e.getValue().isIdle(now));
    }

    public int trackedUsers() {
        return users.size();
    }

    private Refusal rate(Limits connection, String user, boolean send) {
        long now = nanoClock.getAsLong();
        TokenBucket own = connection == null ? null : connection.bucket(send);
        if (own != null) {
            long wait = own.take(now);
            if (wait > 0) {
                return limited(send, "connection", send ? settings.connectionSends() : settings.connectionOthers(), wait);
            }
        }
        Limits mine = users.get(user);
        if (mine == null) {
            mine = users.computeIfAbsent(user, u -> new Limits(settings.userSends(), settings.userOthers(), now));
        }
        TokenBucket shared = mine.bucket(send);
        if (shared != null) {
            long wait = shared.take(now);
            if (wait > 0) {
                if (own != null) {
                    own.refund();
                }
                return limited(send, "user", send ? settings.userSends() : settings.userOthers(), wait);
            }
        }
        return null;
    }

    private static Refusal limited(boolean send, String per, Rate rate, long waitNanos) {
        long ms = Math.max(1, (waitNanos + 999_999) / 1_000_000);
        return new Refusal(Refusal.RATE_LIMITED, (send ? "too many sends" : "too many requests") + ": at most " + rate
                + " per " + per + "; retry in " + ms + " ms", ms);
    }

    /**
     * Shedding, on its own: refuse new commands when {@code inFlight} reached {@code max}, or when the oldest
     * command waiting for its result is older than {@code shedAfterMs} (the topology is behind: more commands
     * would only time out). Null to admit.
     */
    static Refusal shed(int inFlight, int max, long oldestPendingMs, long shedAfterMs) {
        if (inFlight >= max) {
            return new Refusal(Refusal.OVERLOADED, "this gateway has " + max + " commands waiting for their result; retry in 1000 ms", 1000);
        }
        if (oldestPendingMs > shedAfterMs) {
            long retry = Math.min(5_000, Math.max(1_000, oldestPendingMs / 2));
            return new Refusal(Refusal.OVERLOADED, "commits are running " + oldestPendingMs + " ms behind; retry in " + retry + " ms", retry);
        }
        return null;
    }
}
