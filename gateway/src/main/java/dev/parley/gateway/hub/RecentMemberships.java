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
import dev.parley.api.query.UserChannel;
import java.util.SortedMap;
import java.util.TreeMap;

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

    /**
     * The user's channels as the read side lists them, with the joins and leaves this gateway saw more recently
     * applied (the read side trails the log: a user added a moment ago still gets the channel, one who left
     * does not), by channel id: the order the welcome and the {@code channels} pages list them in.
     */
    public SortedMap<String, UserChannel> applyTo(String user,
                                                                             List<UserChannel> listed) {
        SortedMap<String, UserChannel> channels = new TreeMap<>();
        listed.forEach(c -> channels.put(c.channel(), c));
        for (Change c : latestOf(user).values()) {
            UserChannel known = channels.get(c.channel());
            if (c.joined() && (known == null || known.joinedSeq() < c.seq())) {
                channels.put(c.channel(), new UserChannel(c.channel(), "member", c.seq(),
                        Math.max(c.seq(), known == null ? 0 : known.head()), null, null, c.atMillis(), 0, 0, 0, false,
                        known == null ? 0 : known.members()));
            } else if (!c.joined() && known != null && known.joinedSeq() < c.seq()) {
                channels.remove(c.channel());
            }
        }
        return channels;
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
