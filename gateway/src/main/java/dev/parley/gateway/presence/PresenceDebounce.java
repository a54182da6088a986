package dev.parley.gateway.presence;

import dev.parley.api.presence.PresenceStatus;
import java.util.HashMap;
import java.util.Map;

/**
 * What observers of a user are told, and when: a status change is published at once, except {@code offline},
 * which is held for the debounce time and dropped if the user is back (with the published status) before it
 * runs out, so a device that reconnects, here or on another gateway, does not flap "offline, online" to its
 * observers. Pure, one thread; only users someone watches are tracked.
 */
public final class PresenceDebounce {

    /** A user's presence as observers see it. */
    public record View(PresenceStatus status, Long lastSeen) {
    }

    /** What to do after a change or a timer. */
    public sealed interface Decision permits Publish, HoldUntil, Nothing {
    }

    /** Tell the observers. */
    public record Publish(View view) implements Decision {
    }

    /** Ask again ({@link #due}) at this time. */
    public record HoldUntil(long atMillis) implements Decision {
    }

    public record Nothing() implements Decision {
    }

    private static final Nothing NOTHING = new Nothing();

    private static final class State {
        View published;
        View pending;
        long holdUntil;
    }

    private final long debounceMs;
    private final Map<String, State> states = new HashMap<>();

    public PresenceDebounce(java.time.Duration debounce) {
        this.debounceMs = debounce.toMillis();
    }

    /** Starts tracking a user (someone watches it now); {@code current} is the registry's view. */
    public View track(String user, View current) {
        return states.computeIfAbsent(user, u -> {
            State s = new State();
            s.published = current;
            return s;
        }).published;
    }

    public void forget(String user) {
        states.remove(user);
    }

    public boolean isTracked(String user) {
        return states.containsKey(user);
    }

    public Decision changed(String user, View now, long nowMillis) {
        State s = states.get(user);
        if (s == null) {
            return NOTHING;
        }
        if (now.status() == PresenceStatus.OFFLINE) {
            if (s.published.status() == PresenceStatus.OFFLINE) {
                s.pending = null;
                return NOTHING;
            }
            boolean timerRunning = s.pending != null;
            s.pending = now;
            if (timerRunning) {
                return NOTHING;
            }
            s.holdUntil = nowMillis + debounceMs;
            return new HoldUntil(s.holdUntil);
        }
        s.pending = null;
        if (s.published.status() == now.status()) {
            return NOTHING;
        }
        s.published = now;
        return new Publish(now);
    }

    /** A hold ran out. */
    public Decision due(String user, long nowMillis) {
        State s = states.get(user);
        if (s == null || s.pending == null) {
            return NOTHING;
        }
        if (nowMillis < s.holdUntil) {
            return new HoldUntil(s.holdUntil);
        }
        s.published = s.pending;
        s.pending = null;
        return new Publish(s.published);
    }
}
