package dev.parley.gateway.hub;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Joins and leaves this gateway saw in the last few minutes, per user. A connection's channel list comes
 * from the topology's read side, which trails the log by a commit interval or two; merging the recent
 * changes closes that window (a user added to a channel a moment before connecting still gets it).
 */
public final class RecentMemberships {

    /** A membership change: the user joined (or left) the channel at seq. */
    public record Change(String channel, long seq, boolean joined, long atMillis) {
    }

    private final Map<String, Deque<Change>> byUser = new ConcurrentHashMap<>();
    private final Duration keep;
    private final Clock clock;

    public RecentMemberships(Duration keep, Clock clock) {
        this.keep = keep;
        this.clock = clock;
    }

    void record(String user, String channel, long seq, boolean joined) {
        long now = clock.millis();
        Deque<Change> changes = byUser.computeIfAbsent(user, u -> new ArrayDeque<>());
        synchronized (changes) {
            changes.addLast(new Change(channel, seq, joined, now));
            prune(changes, now);
        }
    }

    /** The latest recent change per channel of this user. */
    public Map<String, Change> latestOf(String user) {
        Deque<Change> changes = byUser.get(user);
        Map<String, Change> out = new LinkedHashMap<>();
        if (changes == null) {
            return out;
        }
        List<Change> copy;
        synchronized (changes) {
            prune(changes, clock.millis());
            copy = new ArrayList<>(changes);
            if (changes.isEmpty()) {
                byUser.remove(user, changes);
            }
        }
        for (Change c : copy) {
            out.merge(c.channel(), c, (a, b) -> b.seq() > a.seq() ? b : a);
        }
        return out;
    }

    private void prune(Deque<Change> changes, long now) {
        while (!changes.isEmpty() && now - changes.peekFirst().atMillis() > keep.toMillis()) {
            changes.pollFirst();
        }
    }
}
