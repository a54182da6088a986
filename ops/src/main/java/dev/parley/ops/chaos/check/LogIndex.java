package dev.parley.ops.chaos.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The committed log looked up the ways the checks need: by (channel, seq), by message key, and its memberships. */
public final class LogIndex {

    /** A message's idempotency scope: keys are per (channel, user). */
    public record Key(String channel, String user, String clientMsgId) {
        public static Key of(SentMessage s) {
            return new Key(s.channel(), s.user(), s.clientMsgId());
        }
    }

    private final Map<String, Map<Long, LoggedEvent>> bySeq = new HashMap<>();
    private final Map<Key, List<Long>> byKey = new LinkedHashMap<>();
    private final Membership membership;

    public LogIndex(List<LoggedEvent> log) {
        for (LoggedEvent e : log) {
            bySeq.computeIfAbsent(e.channel(), c -> new HashMap<>()).putIfAbsent(e.seq(), e);
            if (e.kind() == LoggedEvent.Kind.MESSAGE && e.clientMsgId() != null) {
                byKey.computeIfAbsent(new Key(e.channel(), e.user(), e.clientMsgId()), k -> new ArrayList<>()).add(e.seq());
            }
        }
        this.membership = Membership.of(log);
    }

    /** The event at a channel's seq, or null. */
    public LoggedEvent at(String channel, long seq) {
        return bySeq.getOrDefault(channel, Map.of()).get(seq);
    }

    /** The seqs of the messages logged with this key, in log order (one, if all is well). */
    public List<Long> seqsOf(Key key) {
        return byKey.getOrDefault(key, List.of());
    }

    /** Every message key in the log, with its seqs. */
    public Map<Key, List<Long>> keys() {
        return byKey;
    }

    public Membership membership() {
        return membership;
    }
}
