package dev.parley.gateway.presence;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A brief memory of "these two users share these channels", so that a reconnect storm does not ask the topology
 * again for every pair. Pure and thread-safe; time comes from the caller.
 *
 * <ul>
 *   <li>Only pairs that share a channel are kept: "shares nothing" is always asked again, so a join the topology
 *       had not applied yet is seen on the next lookup.</li>
 *   <li>A pair is symmetric: U watching V and V watching U use one entry.</li>
 *   <li>A membership change of either user forgets the pair, and an answer fetched before such a change is not
 *       kept (a lookup takes a {@link #ticket()} before it asks).</li>
 *   <li>Entries live {@code ttl} at most; the cache holds at most {@code maxPairs} (least recently used go first).</li>
 * </ul>
 */
public final class SharedChannelsCache {

    /** What the cache knows for one lookup: the pairs it can answer, and the users to ask the topology about. */
    public record Lookup(Map<String, Set<String>> known, List<String> unknown) {
    }

    private record Entry(Set<String> channels, long ticket, long expiresAtMillis) {
    }

    private record Change(long ticket, long atMillis) {
    }

    private final long ttlMillis;
    private final int maxPairs;
    private long tickets;
    private final LinkedHashMap<String, Entry> pairs;
    /** The last membership change of each user, kept while an entry fetched before it could still be alive. */
    private final Map<String, Change> changed = new HashMap<>();

    public SharedChannelsCache(Duration ttl, int maxPairs) {
        this.ttlMillis = ttl.toMillis();
        this.maxPairs = maxPairs;
        this.pairs = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > SharedChannelsCache.this.maxPairs;
            }
        };
    }

    /** Taken before asking the topology; {@link #remember} keeps nothing that a later change made doubtful. */
    public synchronized long ticket() {
        return ++tickets;
    }

    public synchronized Lookup lookup(String watcher, Collection<String> candidates, long nowMillis) {
        Map<String, Set<String>> known = new HashMap<>();
        List<String> unknown = new ArrayList<>();
        for (String c : candidates) {
            if (c.equals(watcher) || known.containsKey(c) || unknown.contains(c)) {
                continue;
            }
            String key = key(watcher, c);
            Entry e = pairs.get(key);
            if (e != null && e.expiresAtMillis() > nowMillis && unchangedSince(watcher, e.ticket()) && unchangedSince(c, e.ticket())) {
                known.put(c, e.channels());
            } else {
                if (e != null) {
                    pairs.remove(key);
                }
                unknown.add(c);
            }
        }
        return new Lookup(known, unknown);
    }

    /** The topology's answer to a lookup that took {@code ticket}: the pairs that share channels. */
    public synchronized void remember(String watcher, Map<String, Set<String>> shared, long ticket, long nowMillis) {
        shared.forEach((other, channels) -> {
            if (!channels.isEmpty() && !other.equals(watcher) && unchangedSince(watcher, ticket) && unchangedSince(other, ticket)) {
                pairs.put(key(watcher, other), new Entry(Set.copyOf(channels), ticket, nowMillis + ttlMillis));
            }
        });
    }

    /** The user joined or left a channel: every pair with them is doubtful now. */
    public synchronized void membershipChanged(String user, long nowMillis) {
        changed.put(user, new Change(++tickets, nowMillis));
        if (changed.size() > maxPairs) {
            forgetOldChanges(nowMillis);
        }
    }

    public synchronized int size() {
        return pairs.size();
    }

    private boolean unchangedSince(String user, long ticket) {
        Change c = changed.get(user);
        return c == null || c.ticket() < ticket;
    }

    /** A change older than the ttl can only concern expired entries. */
    private void forgetOldChanges(long nowMillis) {
        for (Iterator<Change> it = changed.values().iterator(); it.hasNext(); ) {
            if (it.next().atMillis() + ttlMillis < nowMillis) {
                it.remove();
            }
        }
    }

    private static String key(String a, String b) {
        return a.compareTo(b) < 0 ? a + '\u001f' + b : b + '\u001f' + a;
    }
}
