package dev.parley.gateway.presence;

import dev.parley.api.query.ChannelQueries;
import dev.parley.api.query.UserChannel;
import dev.parley.gateway.hub.RecentMemberships;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link SharedChannels} from the users' channel lists: one {@code channelsOf} per user, intersected here. The
 * lists are cached (bounded) and dropped whenever the gateway sees a membership change of their user in the log;
 * the changes of the last minutes are applied on top, since the topology's read side trails the log a little.
 * Interim: the topology's batched query replaces the per-user lists.
 */
public final class ChannelListSharedChannels implements SharedChannels {

    private static final int MAX_CACHED = 50_000;

    private final ChannelQueries queries;
    private final RecentMemberships recent;
    private final AtomicLong invalidations = new AtomicLong();
    private final Map<String, Map<String, Long>> cache = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<String, Long>> eldest) {
            return size() > MAX_CACHED;
        }
    };

    public ChannelListSharedChannels(ChannelQueries queries, RecentMemberships recent) {
        this.queries = queries;
        this.recent = recent;
    }

    /** The user's memberships changed: forget the cached list. */
    @Override
    public void membershipChanged(String user) {
        invalidations.incrementAndGet();
        synchronized (cache) {
            cache.remove(user);
        }
    }

    @Override
    public Map<String, Set<String>> of(String user, Collection<String> candidates) {
        Set<String> mine = channelsOf(user);
        Map<String, Set<String>> out = new HashMap<>();
        if (mine.isEmpty()) {
            return out;
        }
        for (String c : candidates) {
            if (c.equals(user)) {
                continue;
            }
            Set<String> shared = new HashSet<>(channelsOf(c));
            shared.retainAll(mine);
            if (!shared.isEmpty()) {
                out.put(c, shared);
            }
        }
        return out;
    }

    private Set<String> channelsOf(String user) {
        Map<String, Long> joined;
        synchronized (cache) {
            joined = cache.get(user);
        }
        if (joined == null) {
            long before = invalidations.get();
            joined = new HashMap<>();
            for (UserChannel c : queries.channelsOf(user).channels()) {
                joined.put(c.channel(), c.joinedSeq());
            }
            if (invalidations.get() == before) {
                synchronized (cache) {
                    cache.put(user, joined);
                }
            }
        }
        Set<String> channels = new HashSet<>(joined.keySet());
        for (RecentMemberships.Change c : recent.latestOf(user).values()) {
            Long known = joined.get(c.channel());
            if (c.joined() && (known == null || known < c.seq())) {
                channels.add(c.channel());
            } else if (!c.joined() && known != null && known < c.seq()) {
                channels.remove(c.channel());
            }
        }
        return channels;
    }
}
