package dev.parley.topology.projection;

import dev.parley.avro.event.ChannelCreated;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.event.MemberJoined;
import dev.parley.avro.event.MemberLeft;
import dev.parley.avro.Role;
import dev.parley.topology.state.ChannelInfo;
import dev.parley.topology.state.MemberState;
import dev.parley.topology.state.StateSerde;
import dev.parley.topology.state.StoreKeys;
import dev.parley.topology.state.StoreNames;
import dev.parley.topology.errors.DeadLetters;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Read side: projects the committed log (read_committed, so only committed events) into the stores that
 * interactive queries serve: every event by (channel, seq), each channel's summary and head, and its
 * members. Forwards membership changes keyed by user, to be repartitioned into the user-channels store, and
 * records that do not decode as dead letters.
 */
public final class EventProjector implements Processor<byte[], byte[], String, Object> {

    private final Deserializer<ChannelEvent> decoder;
    private final DeadLetters deadLetters;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<Bytes, byte[]> events;
    private KeyValueStore<String, byte[]> channels;
    private KeyValueStore<Bytes, byte[]> members;

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
        Record<String, LoggedEvent> record = new Record<>(key, new LoggedEvent(raw.value(), e), raw.timestamp());
        String channel = e.getChannel();
        ChannelInfo info = StateSerde.CHANNEL_INFO.fromBytes(channels.get(channel));
        if (info != null && e.getSeq() <= info.getHead()) {
            return; // already projected (defensive: exactly-once means this should not happen)
        }
        long ts = e.getTimestamp().toEpochMilli();
        events.put(StoreKeys.channelSeq(channel, e.getSeq()), record.value().raw());
        Object p = e.getPayload();
        String memberUser = null;
        if (p instanceof ChannelCreated created) {
            info = new ChannelInfo(created.getVisibility().name(), created.getTitle(), e.getSeq(), e.getActor().getUser(), ts, 0, ts);
            memberUser = e.getActor().getUser();
            putMember(channel, memberUser, Role.OWNER, e.getSeq(), ts);
            info.setMemberCount(1);
        } else if (p instanceof MemberJoined joined) {
            memberUser = joined.getUser();
            putMember(channel, memberUser, joined.getRole(), e.getSeq(), ts);
            info.setMemberCount(info.getMemberCount() + 1);
        } else if (p instanceof MemberLeft left) {
            memberUser = left.getUser();
            members.delete(StoreKeys.pair(channel, memberUser));
            info.setMemberCount(Math.max(0, info.getMemberCount() - 1));
        }
        if (info == null) {
            throw new IllegalStateException("event " + channel + "#" + e.getSeq() + " precedes the channel's creation");
        }
        info.setHead(e.getSeq());
        info.setLastEventAt(ts);
        channels.put(channel, StateSerde.CHANNEL_INFO.toBytes(info));
        if (memberUser != null) {
            context.forward(new Record<String, Object>(memberUser, record.value(), record.timestamp()));
        }
    }

    private void putMember(String channel, String user, Role role, long seq, long ts) {
        members.put(StoreKeys.pair(channel, user), StateSerde.MEMBER.toBytes(new MemberState(role.name(), seq, ts)));
    }
}
