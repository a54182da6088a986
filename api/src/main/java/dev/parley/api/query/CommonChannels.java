package dev.parley.api.query;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The channels {@code user} shares with each of some other users: only those who share at least one are listed,
 * each with every channel they share (sorted). Presence privacy asks this ("which of these users may U see?").
 *
 * @param stale true when part of the answer came from a copy that may trail the committed state (a standby, a
 *              restoring store)
 */
public record CommonChannels(String user, Map<String, List<String>> shared, boolean stale) {

    public CommonChannels {
        shared = Map.copyOf(shared);
    }

    /**
     * The intersection, as a pure function: {@code mine} are {@code user}'s channels, {@code theirs} the channels of
     * the others among {@code mine}. {@code user} is never listed (seeing oneself is not sharing), nor is anyone
     * without a channel in common.
     */
    public static CommonChannels of(String user, Set<String> mine, UserMemberships theirs, boolean stale) {
        Map<String, List<String>> out = new TreeMap<>();
        theirs.channels().forEach((other, channels) -> {
            if (other.equals(user)) {
                return;
            }
            List<String> common = channels.stream().filter(mine::contains).distinct().sorted().toList();
            if (!common.isEmpty()) {
                out.put(other, common);
            }
        });
        return new CommonChannels(user, out, stale || theirs.stale());
    }

    /** The others asked about, without {@code user} and duplicates, in the order asked. */
    public static List<String> candidates(String user, Collection<String> others) {
        return others.stream().filter(o -> o != null && !o.equals(user)).distinct().toList();
    }
}
