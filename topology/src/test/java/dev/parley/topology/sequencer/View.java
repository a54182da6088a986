package dev.parley.topology.sequencer;

import dev.parley.topology.state.ChannelMeta;
import dev.parley.topology.state.DedupeEntry;
import dev.parley.topology.state.MemberState;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The decider's input as plain maps, for tests of the rules alone. */
final class View implements ChannelView {
    ChannelMeta channel;
    final Map<String, MemberState> members = new HashMap<>();
    final Map<String, DedupeEntry> keys = new HashMap<>();
    final Map<Long, MessageRef> messages = new HashMap<>();
    final Set<String> reactions = new HashSet<>();

    /** A channel with these plain members and head {@code lastSeq}. */
    static View channel(String visibility, long lastSeq, String... members) {
        View v = new View();
        v.channel = new ChannelMeta(visibility, null, false, lastSeq, "owner", 0L, members.length, 0L);
        for (String m : members) {
            v.members.put(m, new MemberState("MEMBER", 1L, 0L));
        }
        return v;
    }

    @Override
    public Optional<ChannelMeta> channel() {
        return Optional.ofNullable(channel);
    }

    @Override
    public Optional<MemberState> member(String user) {
        return Optional.ofNullable(members.get(user));
    }

    @Override
    public Optional<DedupeEntry> dedupe(String user, String key) {
        return Optional.ofNullable(keys.get(user + "/" + key));
    }

    @Override
    public Optional<MessageRef> message(long seq) {
        return Optional.ofNullable(messages.get(seq));
    }

    @Override
    public boolean hasReaction(long seq, String emoji, String user) {
        return reactions.contains(seq + "/" + emoji + "/" + user);
    }
}
