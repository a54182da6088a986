package dev.parley.gateway.typing;

import java.util.HashMap;
import java.util.Map;

/**
 * At most one typing indicator per channel per interval for one connection; the others are dropped (a client
 * sends one per keystroke burst, the indicator lasts longer than the interval). Pure, one connection's thread.
 */
public final class TypingLimiter {

    private static final int PRUNE_ABOVE = 32;

    private final long intervalMs;
    private final Map<String, Long> lastAccepted = new HashMap<>();

    public TypingLimiter(java.time.Duration interval) {
        this.intervalMs = interval.toMillis();
    }

    /** Whether a typing indicator for the channel goes out now. */
    public boolean allow(String channel, long now) {
        Long last = lastAccepted.get(channel);
        if (last != null && now - last < intervalMs) {
            return false;
        }
        if (lastAccepted.size() >= PRUNE_ABOVE) {
            lastAccepted.values().removeIf(t -> now - t >= intervalMs);
        }
        lastAccepted.put(channel, now);
        return true;
    }

    /** A message was sent to the channel: it ends the burst, the next keystroke starts a new one. */
    public void reset(String channel) {
        lastAccepted.remove(channel);
    }
}
