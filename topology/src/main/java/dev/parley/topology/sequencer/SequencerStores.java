package dev.parley.topology.sequencer;

import dev.parley.avro.event.ChannelCreated;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.event.MemberJoined;
import dev.parley.avro.event.MemberLeft;
import dev.parley.avro.event.MessageDeleted;
import dev.parley.avro.event.MessagePosted;
import dev.parley.avro.event.ReactionAdded;
import dev.parley.avro.event.ReactionRemoved;
import dev.parley.avro.event.ReadCursorMoved;
import dev.parley.avro.Role;
import dev.parley.topology.state.ChannelMeta;
import dev.parley.topology.state.DedupeEntry;
import dev.parley.topology.state.MemberState;
import dev.parley.topology.state.MessageRef;
import dev.parley.topology.state.StateSerde;
import dev.parley.topology.state.StoreKeys;
import dev.parley.topology.state.StoreNames;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/** The sequencer's state stores, and how an appended event changes them (event sourcing: state = fold of events). */
record SequencerStores(KeyValueStore<String, byte[]> channels, KeyValueStore<Bytes, byte[]> members,
                       KeyValueStore<Bytes, byte[]> messages, WindowStore<Bytes, byte[]> dedupe,
                       KeyValueStore<Bytes, byte[]> reactions) {

    private static final byte[] PRESENT = {1};

    static SequencerStores from(ProcessorContext<?, ?> context) {
        return new SequencerStores(context.getStateStore(StoreNames.SEQ_CHANNELS), context.getStateStore(StoreNames.SEQ_MEMBERS),
                context.getStateStore(StoreNames.SEQ_MESSAGES), context.getStateStore(StoreNames.SEQ_DEDUPE),
                context.getStateStore(StoreNames.SEQ_REACTIONS));
    }

    /** Applies an event the decider produced; the event is the only input, so replaying the log rebuilds this state. */
    void apply(ChannelEvent e, ChannelMeta before) {
        String channel = e.getChannel();
        long ts = e.getTimestamp().toEpochMilli();
        ChannelMeta meta = before;
        Object p = e.getPayload();
        if (p instanceof ChannelCreated created) {
            meta = new ChannelMeta(created.getVisibility().name(), e.getSeq(), e.getActor().getUser(), ts, 1 + created.getMembers().size());
            // In a direct channel nobody owns the others' messages: everyone is a plain member.
            putMember(channel, e.getActor().getUser(), created.getDirect() ? Role.MEMBER : Role.OWNER, e.getSeq(), ts);
            for (String m : created.getMembers()) {
                putMember(channel, m, Role.MEMBER, e.getSeq(), ts);
            }
        } else if (p instanceof MemberJoined joined) {
            putMember(channel, joined.getUser(), joined.getRole(), e.getSeq(), ts);
            meta.setMemberCount(meta.getMemberCount() + 1);
        } else if (p instanceof MemberLeft left) {
            members.delete(StoreKeys.pair(channel, left.getUser()));
            meta.setMemberCount(Math.max(0, meta.getMemberCount() - 1));
        } else if (p instanceof MessagePosted posted) {
            messages.put(StoreKeys.channelSeq(channel, e.getSeq()), StateSerde.MESSAGE_REF.toBytes(
                    new MessageRef(e.getMessageId(), e.getActor().getUser(), posted.getThreadRoot(), false)));
        } else if (p instanceof MessageDeleted deleted) {
            Bytes key = StoreKeys.channelSeq(channel, deleted.getMessageSeq());
            MessageRef ref = StateSerde.MESSAGE_REF.fromBytes(messages.get(key));
            ref.setDeleted(true);
            messages.put(key, StateSerde.MESSAGE_REF.toBytes(ref));
        } else if (p instanceof ReactionAdded added) {
            reactions.put(StoreKeys.reaction(channel, added.getMessageSeq(), added.getEmoji(), e.getActor().getUser()), PRESENT);
        } else if (p instanceof ReactionRemoved removed) {
            reactions.delete(StoreKeys.reaction(channel, removed.getMessageSeq(), removed.getEmoji(), e.getActor().getUser()));
        } else if (p instanceof ReadCursorMoved read) {
            Bytes key = StoreKeys.pair(channel, e.getActor().getUser());
            MemberState m = StateSerde.MEMBER.fromBytes(members.get(key));
            m.setLastRead(read.getSeq());
            members.put(key, StateSerde.MEMBER.toBytes(m));
        }
        meta.setLastSeq(e.getSeq());
        channels.put(channel, StateSerde.CHANNEL_META.toBytes(meta));
        if (e.getIdempotencyKey() != null) {
            dedupe.put(StoreKeys.triple(channel, e.getActor().getUser(), e.getIdempotencyKey()),
                    StateSerde.DEDUPE.toBytes(new DedupeEntry(e.getSeq(), e.getEventId(), e.getMessageId())), ts);
        }
    }

    private void putMember(String channel, String user, Role role, long seq, long ts) {
        members.put(StoreKeys.pair(channel, user), StateSerde.MEMBER.toBytes(new MemberState(role.name(), seq, ts, 0L)));
    }
}
