package dev.parley.ops.chaos.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who was a member of which channel at which seq, and which channels are private, as the log says: the owner from
 * {@code channel_created} (seq 1), then every {@code member_joined} and {@code member_left} in seq order. The log is
 * the truth the deliveries are judged against.
 */
public final class Membership {

    /** A stretch of membership: from the join's seq up to and including the leave's (or for ever). */
    private record Stint(long from, long to) {
    }

    private final Map<String, Boolean> privateChannels = new HashMap<>();
    private final Map<String, Map<String, List<Stint>>> stints = new HashMap<>();
    private final Map<String, Long> heads = new HashMap<>();

    /** @param log the log's events; per channel in seq order (the order of its partition) */
    public static Membership of(Iterable<LoggedEvent> log) {
        Membership m = new Membership();
        Map<String, Map<String, Long>> open = new HashMap<>();
        for (LoggedEvent e : log) {
            m.heads.merge(e.channel(), e.seq(), Math::max);
            Map<String, Long> joins = open.computeIfAbsent(e.channel(), c -> new HashMap<>());
            switch (e.kind()) {
                case CHANNEL_CREATED -> {
                    m.privateChannels.put(e.channel(), e.privateChannel());
                    joins.put(e.user(), e.seq());
                }
                case MEMBER_JOINED -> joins.putIfAbsent(e.member(), e.seq());
                case MEMBER_LEFT -> {
                    Long from = joins.remove(e.member());
                    if (from != null) {
                        m.stint(e.channel(), e.member(), from, e.seq());
                    }
                }
                default -> {
                    // not about membership
                }
            }
        }
        open.forEach((channel, joins) -> joins.forEach((user, from) -> m.stint(channel, user, from, Long.MAX_VALUE)));
        return m;
    }

    private void stint(String channel, String user, long from, long to) {
        stints.computeIfAbsent(channel, c -> new HashMap<>()).computeIfAbsent(user, u -> new ArrayList<>()).add(new Stint(from, to));
    }

    /** Whether the channel was created private. Unknown channels count as private (nothing of them may leak). */
    public boolean isPrivate(String channel) {
        return privateChannels.getOrDefault(channel, true);
    }

    /** Whether {@code user} was a member of the channel at any point of the log. */
    public boolean wasMember(String channel, String user) {
        return !stints.getOrDefault(channel, Map.of()).getOrDefault(user, List.of()).isEmpty();
    }

    /** Whether {@code user} was a member at {@code seq}: it joined at or before it, and left at or after it. */
    public boolean isMemberAt(String channel, String user, long seq) {
        for (Stint s : stints.getOrDefault(channel, Map.of()).getOrDefault(user, List.of())) {
            if (s.from() <= seq && seq <= s.to()) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code user} is a member at the channel's head (the end of the log). */
    public boolean isMemberAtEnd(String channel, String user) {
        return isMemberAt(channel, user, head(channel));
    }

    /** The seq at which the user's current membership began, or -1 when it is not a member at the end. */
    public long joinedAt(String channel, String user) {
        long head = head(channel);
        for (Stint s : stints.getOrDefault(channel, Map.of()).getOrDefault(user, List.of())) {
            if (s.from() <= head && head <= s.to()) {
                return s.from();
            }
        }
        return -1;
    }

    /** The channel's last seq in the log, 0 when it has none. */
    public long head(String channel) {
        return heads.getOrDefault(channel, 0L);
    }

    /** The channels the user is a member of at the end. */
    public List<String> channelsOf(String user) {
        List<String> out = new ArrayList<>();
        stints.forEach((channel, users) -> {
            if (users.containsKey(user) && isMemberAtEnd(channel, user)) {
                out.add(channel);
            }
        });
        out.sort(null);
        return out;
    }
}
