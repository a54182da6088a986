package dev.parley.gateway.admission;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The sends of one connection to one channel are admitted in the order they arrive, or not at all. Once a send is
 * refused ({@code rate_limited}, {@code overloaded}), the connection's later sends to that channel are refused too,
 * with the same code, and the channel stays on hold until every send refused there has come again: clients re-send
 * oldest first, so the messages land in the order typed. Without it, a send pipelined behind a refused one could
 * be admitted a moment later and commit first; and a new send typed while a held-back one was still on its way
 * back could overtake it.
 *
 * <p>A hold ends when its refused sends have come again, or {@link #GRACE} after the last real refusal's
 * {@code retryAfterMs} (a client that gave a send up is not held for ever; held-back refusals do not extend it).
 * Bounded: {@link #MAX_HELD} channels per connection (the oldest hold is dropped), {@link #MAX_WAITING} sends
 * remembered per hold (one more is still refused, just not waited for). Pure: time is passed in.
 */
public final class SendOrder {

    /** How long past its {@code retryAfterMs} a refusal holds the sends behind it. */
    public static final Duration GRACE = Duration.ofSeconds(10);
    /** Channels one connection may have on hold. */
    public static final int MAX_HELD = 16;
    /** Refused sends one hold waits for (PARLEY_MAX_INFLIGHT_PER_CONNECTION's default: a pipeline's worth). */
    public static final int MAX_WAITING = 64;

    private static final class Hold {
        final Set<String> waiting = new LinkedHashSet<>(); // refused sends not come again yet, oldest first
        String code;
        long retryAtNanos;
        long expiresAtNanos;
    }

    private final Map<String, Hold> holds = new LinkedHashMap<>();

    /**
     * The refusal of a send that an earlier refused send of this connection holds back (it is then waited for too);
     * null when it may go on to admission: no hold, an expired one, or it is one of the refused sends coming again.
     */
    synchronized Refusal heldBack(String channel, String clientMsgId, long nowNanos) {
        Hold h = holds.get(channel);
        if (h == null) {
            return null;
        }
        if (nowNanos >= h.expiresAtNanos) {
            holds.remove(channel);
            return null;
        }
        if (h.waiting.remove(clientMsgId)) {
            if (h.waiting.isEmpty()) {
                holds.remove(channel);
            }
            return null;
        }
        String first = h.waiting.iterator().next();
        if (h.waiting.size() < MAX_WAITING) {
            h.waiting.add(clientMsgId);
        }
        long ms = Math.max(1, (h.retryAtNanos - nowNanos + 999_999) / 1_000_000);
        return new Refusal(h.code, "send " + first + " to " + channel + " was refused (" + h.code
                + ") and a connection's sends to a channel are taken in order: send it again first; retry in " + ms + " ms", ms);
    }

    /** {@code clientMsgId} was refused: the connection's later sends to {@code channel} wait for it. */
    synchronized void refused(String channel, String clientMsgId, Refusal refusal, long nowNanos) {
        Hold h = holds.remove(channel); // re-inserted last: the eldest hold is the first to drop
        if (h == null || nowNanos >= h.expiresAtNanos) {
            h = new Hold();
        }
        if (h.waiting.size() < MAX_WAITING) {
            h.waiting.add(clientMsgId);
        }
        h.code = refusal.code();
        h.retryAtNanos = nowNanos + refusal.retryAfterMs() * 1_000_000;
        h.expiresAtNanos = h.retryAtNanos + GRACE.toNanos();
        holds.put(channel, h);
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
