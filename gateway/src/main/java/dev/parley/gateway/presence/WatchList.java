package dev.parley.gateway.presence;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The users one connection asked to watch, and which of them it may see ({@link PresenceVisibility}), kept up to
 * date as memberships change: a leave hides at once (privacy first), a join asks for a recheck. Pure, one thread.
 */
public final class WatchList {

    /** Users that became visible ({@code shown}) or stopped being visible ({@code hidden}). */
    public record Update(Set<String> shown, Set<String> hidden) {
        static final Update NONE = new Update(Set.of(), Set.of());
    }

    private final String watcher;
    private final Set<String> requested = new LinkedHashSet<>();
    private final Map<String, Set<String>> visible = new HashMap<>();

    public WatchList(String watcher) {
        this.watcher = watcher;
    }

    public String watcher() {
        return watcher;
    }

    /** The watched users in the order asked. */
    public Set<String> requested() {
        return Set.copyOf(requested);
    }

    public boolean isVisible(String user) {
        return visible.containsKey(user);
    }

    /** The requested users in the order asked that are visible. */
    public List<String> visibleInOrder() {
        return requested.stream().filter(visible::containsKey).toList();
    }

    public List<String> notVisibleInOrder() {
        return requested.stream().filter(u -> !visible.containsKey(u)).toList();
    }

    /**
     * Replaces the watched users.
     *
     * @param shared what {@link SharedChannels} answered for them
     */
    public Update replace(Collection<String> users, Map<String, Set<String>> shared) {
        Set<String> before = new HashSet<>(visible.keySet());
        requested.clear();
        visible.clear();
        requested.addAll(users);
        for (String u : requested) {
            Set<String> channels = shared.getOrDefault(u, Set.of());
            if (PresenceVisibility.visible(watcher, u, channels)) {
                visible.put(u, new HashSet<>(channels));
            }
        }
        Set<String> shown = new LinkedHashSet<>(visible.keySet());
        shown.removeAll(before);
        before.removeAll(visible.keySet());
        return new Update(shown, before);
    }

    /** A user left (or was removed from) a channel: users no longer known to share one with the watcher. */
    public Update left(String user, String channel) {
        Set<String> hidden = new LinkedHashSet<>();
        if (user.equals(watcher)) {
            visible.forEach((u, channels) -> {
                if (channels.remove(channel) && !PresenceVisibility.visible(watcher, u, channels)) {
                    hidden.add(u);
                }
            });
        } else {
            Set<String> channels = visible.get(user);
            if (channels != null && channels.remove(channel) && !PresenceVisibility.visible(watcher, user, channels)) {
                hidden.add(user);
            }
        }
        hidden.forEach(visible::remove);
        return hidden.isEmpty() ? Update.NONE : new Update(Set.of(), hidden);
    }

    /** A user joined a channel: the watched users whose visibility that may change (ask {@link SharedChannels} again). */
    public Set<String> joined(String user) {
        if (user.equals(watcher)) {
            return new LinkedHashSet<>(notVisibleInOrder());
        }
        return requested.contains(user) && !visible.containsKey(user) ? Set.of(user) : Set.of();
    }

    /** A new answer for some of the watched users (after a join): they are shown or hidden accordingly. */
    public Update recheck(Collection<String> checked, Map<String, Set<String>> shared) {
        Set<String> shown = new LinkedHashSet<>();
        Set<String> hidden = new LinkedHashSet<>();
        for (String u : checked) {
            if (!requested.contains(u)) {
                continue;
            }
            Set<String> channels = shared.getOrDefault(u, Set.of());
            boolean was = visible.containsKey(u);
            if (PresenceVisibility.visible(watcher, u, channels)) {
                visible.put(u, new HashSet<>(channels));
                if (!was) {
                    shown.add(u);
                }
            } else if (was) {
                visible.remove(u);
                hidden.add(u);
            }
        }
        return new Update(shown, hidden);
    }
}
