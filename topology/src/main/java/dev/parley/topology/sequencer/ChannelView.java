package dev.parley.topology.sequencer;

import dev.parley.topology.state.ChannelMeta;
import dev.parley.topology.state.DedupeEntry;
import dev.parley.topology.state.MemberState;
import java.util.Optional;

/** What the decider may know about one channel at the current point of its order. */
public interface ChannelView {

    Optional<ChannelMeta> channel();

    Optional<MemberState> member(String user);

    /** The outcome of an earlier command of {@code user} with this idempotency key, within the idempotency window. */
    Optional<DedupeEntry> dedupe(String user, String idempotencyKey);

    /** The message posted at {@code seq}; empty if the event there is not a message (or there is none). */
    Optional<MessageRef> message(long seq);

    /** Whether {@code user} currently has reacted to the message at {@code seq} with {@code emoji}. */
    boolean hasReaction(long seq, String emoji, String user);
}
