package dev.parley.gateway.presence;

import java.util.Set;

/**
 * Who may see whose presence: a user sees their own, and that of every user they share a channel with (public,
 * private or direct). Nobody else's: not even whether such a user exists or is online.
 */
public final class PresenceVisibility {

    private PresenceVisibility() {
    }

    /** @param shared the channels watcher and candidate share, as far as known */
    public static boolean visible(String watcher, String candidate, Set<String> shared) {
        return watcher.equals(candidate) || !shared.isEmpty();
    }
}
