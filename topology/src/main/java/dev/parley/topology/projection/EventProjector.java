package dev.parley.topology.projection;

import dev.parley.avro.Role;
import dev.parley.avro.event.ChannelCreated;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.event.MemberJoined;
import dev.parley.avro.event.MemberLeft;
import dev.parley.avro.event.ReadCursorMoved;
import dev.parley.topology.errors.DeadLetters;
import dev.parley.topology.state.ChannelInfo;
import dev.parley.topology.state.MemberState;
import dev.parley.topology.state.StateSerde;
import dev.parley.topology.state.StoreKeys;
import dev.parley.topology.state.StoreNames;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Read side: projects the committed log (read_committed, so only committed events) into the stores that
 * interactive queries serve: every event by (channel, seq) as it is in the log, each channel's summary and
 * head, its members with their read cursors, and the current state of its messages. Forwards membership
 * changes keyed by user, to be repartitioned into the user-channels store, and records that do not decode
 * as dead letters.
 */
public final class EventProjector implements Processor<byte[], byte[], String, Object> {

    private final Deserializer<ChannelEvent> decoder;
    private final DeadLetters deadLetters;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<Bytes, byte[]> events;
    private KeyValueStore<String, byte[]> channels;
    private KeyValueStore<Bytes, byte[]> members;
    private MessageProjection messages;

    public EventProjector(Deserializer<ChannelEvent> decoder, DeadLetters deadLetters) {
        this.decoder = decoder;
        this.deadLetters = deadLetters;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.events = context.getStateStore(StoreNames.EVENTS);
        this.channels = context.getStateStore(StoreNames.CHANNEL_INFO);
        this.members = context.getStateStore(StoreNames.CHANNEL_MEMBERS);
        this.messages = new MessageProjection(context.getStateStore(StoreNames.MESSAGE_VIEWS),
                context.getStateStore(StoreNames.THREAD_REPLIES), context.getStateStore(StoreNames.REDACTIONS));
    }

    @Override
    public void process(Record<byte[], byte[]> raw) {
        String key = raw.key() == null ? null : new String(raw.key(), StandardCharsets.UTF_8);
        ChannelEvent e;
        try {
            e = decoder.deserialize(context.recordMetadata().map(RecordMetadata::topic).orElse(""), raw.value());
            if (e == null) {
                throw new IllegalArgumentException("a log record without a value (tombstone) is not an event");
            }
        } catch (RuntimeException ex) {
            if (!DeadLetters.isPoison(ex)) {
                throw ex; // transient (registry unreachable): retry rather than skip
            }
            context.forward(new Record<String, Object>(key, deadLetters.letter(context, raw.timestamp(), raw.key(), raw.value(),
                    DeadLetters.Stage.DESERIALIZATION, ex), raw.timestamp()));
            return;
        }
        String channel = e.getChannel();
        ChannelInfo info = StateSerde.CHANNEL_INFO.fromBytes(channels.get(channel));
        if (info != null && e.getSeq() <= info.getHead()) {
            return; // already projected (defensive: exactly-once means this should not happen)
        }
        long ts = e.getTimestamp().toEpochMilli();
        events.put(StoreKeys.channelSeq(channel, e.getSeq()), raw.value());
        Object p = e.getPayload();
        List<String> membershipOf = new ArrayList<>();
        if (p instanceof ChannelCreated created) {
            info = new ChannelInfo(created.getVisibility().name(), created.getTitle(), e.getSeq(), e.getActor().getUser(), ts, 0, ts);
            membershipOf.add(e.getActor().getUser());
            membershipOf.addAll(created.getMembers());
            Role creatorRole = created.getDirect() ? Role.MEMBER : Role.OWNER;
            putMember(channel, e.getActor().getUser(), creatorRole, e.getSeq(), ts);
            for (String m : created.getMembers()) {
                putMember(channel, m, Role.MEMBER, e.getSeq(), ts);
            }
            info.setMemberCount(1 + created.getMembers().size());
        } else if (p instanceof MemberJoined joined) {
            membershipOf.add(joined.getUser());
            putMember(channel, joined.getUser(), joined.getRole(), e.getSeq(), ts);
            info.setMemberCount(info.getMemberCount() + 1);
        } else if (p instanceof MemberLeft left) {
            membershipOf.add(left.getUser());
            members.delete(StoreKeys.pair(channel, left.getUser()));
            info.setMemberCount(Math.max(0, info.getMemberCount() - 1));
        } else if (p instanceof ReadCursorMoved read) {
            Bytes k = StoreKeys.pair(channel, e.getActor().getUser());
            MemberState m = StateSerde.MEMBER.fromBytes(members.get(k));
            if (m != null && read.getSeq() > m.getLastRead()) {
                m.setLastRead(read.getSeq());
                members.put(k, StateSerde.MEMBER.toBytes(m));
            }
        } else {
            messages.apply(e);
        }
        if (info == null) {
            throw new IllegalStateException("event " + channel + "#" + e.getSeq() + " precedes the channel's creation");
        }
        info.setHead(e.getSeq());
        info.setLastEventAt(ts);
        channels.put(channel, StateSerde.CHANNEL_INFO.toBytes(info));
        LoggedEvent logged = new LoggedEvent(raw.value(), e);
        for (String user : membershipOf) {
            context.forward(new Record<String, Object>(user, logged, raw.timestamp()));
        }
    }

    private void putMember(String channel, String user, Role role, long seq, long ts) {
        members.put(StoreKeys.pair(channel, user), StateSerde.MEMBER.toBytes(new MemberState(role.name(), seq, ts, 0L)));
    }
}
