package dev.parley.gateway.admission;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sends of one connection to one channel are admitted in the order they arrive, or not at all. Once a send is
 * refused ({@code rate_limited}, {@code overloaded}), the connection's later sends to that channel are refused
 * too, with the same code, until the refused one comes again: clients re-send in the order they queued, so the
 * messages land in the order typed. Without it, a send pipelined behind a refused one could be admitted a moment
 * later and commit first.
 *
 * <p>A hold ends when its send comes again, or {@link #GRACE} after that send's {@code retryAfterMs} (a client that
 * gave the send up is not held for ever). A connection holds at most {@link #MAX_HELD} channels; past that the
 * oldest hold is dropped, so a client refused everywhere costs a bounded amount of memory. Pure: time is passed in.
 */
public final class SendOrder {

    /** How long past its {@code retryAfterMs} a refused send holds the ones behind it. */
    public static final Duration GRACE = Duration.ofSeconds(10);
    /** Channels one connection may have on hold. */
    public static final int MAX_HELD = 64;

    private record Hold(String clientMsgId, String code, long retryAtNanos, long expiresAtNanos) {
    }

    private final Map<String, Hold> holds = new LinkedHashMap<>();

    /**
     * The refusal of a send that an earlier refused send of this connection holds back; null when it may go on to
     * admission (no hold, an expired one, or it is the held send itself, which ends the hold).
     */
    synchronized Refusal heldBack(String channel, String clientMsgId, long nowNanos) {
        Hold h = holds.get(channel);
        if (h == null) {
            return null;
        }
        if (nowNanos >= h.expiresAtNanos() || h.clientMsgId().equals(clientMsgId)) {
            holds.remove(channel);
            return null;
        }
        long ms = Math.max(1, (h.retryAtNanos() - nowNanos + 999_999) / 1_000_000);
        return new Refusal(h.code(), "send " + h.clientMsgId() + " to " + channel + " was refused (" + h.code()
                + ") and a connection's sends to a channel are taken in order: send it again first; retry in " + ms + " ms", ms);
    }

    /** {@code clientMsgId} was refused: the connection's later sends to {@code channel} wait for it. */
    synchronized void refused(String channel, String clientMsgId, Refusal refusal, long nowNanos) {
        long retryAt = nowNanos + refusal.retryAfterMs() * 1_000_000;
        holds.remove(channel); // the newest hold goes last: the eldest is the first to drop
        holds.put(channel, new Hold(clientMsgId, refusal.code(), retryAt, retryAt + GRACE.toNanos()));
        Iterator<String> eldest = holds.keySet().iterator();
        while (holds.size() > MAX_HELD) {
            eldest.next();
            eldest.remove();
        }
    }

    /** Channels on hold (expired holds included until their channel is next used). */
    public synchronized int held() {
        return holds.size();
    }
}
