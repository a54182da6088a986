package dev.parley.gateway.presence;

import dev.parley.api.query.ChannelQueries;
import dev.parley.api.query.CommonChannels;
import dev.parley.api.query.QueryUnavailableException;
import dev.parley.gateway.hub.RecentMemberships;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link SharedChannels} answered by the topology's batched query ({@link ChannelQueries#commonChannels}: one call
 * for all the users a connection watches, from the memberships in {@code user-state}), kept briefly in a
 * {@link SharedChannelsCache} that forgets a user's pairs when the log shows them join or leave.
 *
 * <p>{@code user-state} is filled from the channel sub-topology through a repartition topic, so it trails the log
 * by a commit or two. A join the gateway has already seen in the log but the answer does not reflect is checked
 * against the channel's own state ({@link ChannelQueries#member}, written in the same transaction as the log):
 * only for joins of the last {@link #RECENT_MILLIS} ms of the watcher or a missing user, at most
 * {@link #MAX_MEMBER_CHECKS} per lookup. Leaves need no such care: {@link PresenceService} drops recently left
 * channels from every answer.
 */
public final class TopologySharedChannels implements SharedChannels {

    static final long RECENT_MILLIS = 30_000;
    static final int MAX_MEMBER_CHECKS = 16;

    private final ChannelQueries queries;
    private final RecentMemberships recent;
    private final SharedChannelsCache cache;
    private final Clock clock;

    public TopologySharedChannels(ChannelQueries queries, RecentMemberships recent, SharedChannelsCache cache, Clock clock) {
        this.queries = queries;
        this.recent = recent;
        this.cache = cache;
        this.clock = clock;
    }

    @Override
    public Map<String, Set<String>> of(String user, Collection<String> candidates) {
        SharedChannelsCache.Lookup lookup = cache.lookup(user, candidates, clock.millis());
        Map<String, Set<String>> out = new HashMap<>(lookup.known());
        if (lookup.unknown().isEmpty()) {
            return out;
        }
        long ticket = cache.ticket();
        CommonChannels answer = queries.commonChannels(user, lookup.unknown());
        Map<String, Set<String>> fetched = new HashMap<>();
        answer.shared().forEach((other, channels) -> fetched.put(other, new HashSet<>(channels)));
        cache.remember(user, fetched, ticket, clock.millis());
        out.putAll(fetched);
        try {
            addRecentJoins(user, lookup.unknown().stream().filter(u -> !fetched.containsKey(u)).toList(), out);
        } catch (QueryUnavailableException e) {
            // Not shown for now: a later join event or the watcher's next watch asks again.
        }
        return out;
    }

    @Override
    public void membershipChanged(String user) {
        cache.membershipChanged(user, clock.millis());
    }

    /** Joins seen in the log that the topology's answer may not reflect yet, checked on the channels' state. */
    private void addRecentJoins(String user, List<String> missing, Map<String, Set<String>> out) {
        if (missing.isEmpty()) {
            return;
        }
        long since = clock.millis() - RECENT_MILLIS;
        List<String> mine = recentJoins(user, since);
        int checks = 0;
        for (String other : missing) {
            for (String channel : mine) {
                if (checks++ >= MAX_MEMBER_CHECKS) {
                    return;
                }
                if (queries.member(channel, other).isPresent()) {
                    out.computeIfAbsent(other, o -> new HashSet<>()).add(channel);
                }
            }
            for (String channel : recentJoins(other, since)) {
                if (checks++ >= MAX_MEMBER_CHECKS) {
                    return;
                }
                if (queries.member(channel, user).isPresent()) {
                    out.computeIfAbsent(other, o -> new HashSet<>()).add(channel);
                }
            }
        }
    }

    private List<String> recentJoins(String user, long sinceMillis) {
        return recent.latestOf(user).values().stream()
                .filter(c -> c.joined() && c.atMillis() >= sinceMillis)
                .map(RecentMemberships.Change::channel).toList();
    }
}
