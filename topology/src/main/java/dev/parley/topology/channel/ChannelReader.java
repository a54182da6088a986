package dev.parley.topology.channel;

import dev.parley.avro.event.ChannelEvent;
import dev.parley.topology.state.ChannelMeta;
import dev.parley.topology.state.MemberState;
import dev.parley.topology.state.MessageOverlay;
import dev.parley.topology.state.StateSerde;
import dev.parley.topology.state.StoreKeys;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Typed reads of the {@code channel-state} store (layout in {@link StoreKeys}): by the channel processor
 * (its own writes included) and by interactive queries (committed state only).
 */
public class ChannelReader {

    private final ReadOnlyKeyValueStore<Bytes, byte[]> store;
    private final Deserializer<ChannelEvent> events;

    public ChannelReader(ReadOnlyKeyValueStore<Bytes, byte[]> store, Deserializer<ChannelEvent> events) {
        this.store = store;
        this.events = events;
    }

    public Optional<ChannelMeta> meta(String channel) {
        return Optional.ofNullable(StateSerde.CHANNEL_META.fromBytes(store.get(StoreKeys.meta(channel))));
    }

    public Optional<MemberState> member(String channel, String user) {
        return Optional.ofNullable(StateSerde.MEMBER.fromBytes(store.get(StoreKeys.member(channel, user))));
    }

    /** The event at seq, decoded; empty if there is none. */
    public Optional<ChannelEvent> event(String channel, long seq) {
        byte[] raw = store.get(StoreKeys.event(channel, seq));
        return raw == null ? Optional.empty() : Optional.of(decode(raw));
    }

    /** What changed about the message at seq since it was posted; null if nothing did. */
    public MessageOverlay overlay(String channel, long seq) {
        return StateSerde.OVERLAY.fromBytes(store.get(StoreKeys.overlay(channel, seq)));
    }

    /** The overlays of the messages with seq in [from, to]. */
    public Map<Long, MessageOverlay> overlays(String channel, long from, long to) {
        Map<Long, MessageOverlay> out = new HashMap<>();
        if (from > to) {
            return out;
        }
        try (KeyValueIterator<Bytes, byte[]> it = store.range(StoreKeys.overlay(channel, Math.max(0, from)), StoreKeys.overlay(channel, to))) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                out.put(StoreKeys.seqOf(kv.key), StateSerde.OVERLAY.fromBytes(kv.value));
            }
        }
        return out;
    }

    /** Events with seq in [from, to], ascending (raw log bytes). */
    public KeyValueIterator<Bytes, byte[]> events(String channel, long from, long to) {
        return store.range(StoreKeys.event(channel, Math.max(0, from)), StoreKeys.event(channel, Math.max(0, to)));
    }

    /** Events with seq in [from, to], descending (raw log bytes). */
    public KeyValueIterator<Bytes, byte[]> eventsDescending(String channel, long from, long to) {
        return store.reverseRange(StoreKeys.event(channel, Math.max(0, from)), StoreKeys.event(channel, Math.max(0, to)));
    }

    /** Members with user id >= {@code fromUser} (every one if null), by user id. */
    public KeyValueIterator<Bytes, byte[]> members(String channel, String fromUser) {
        return store.range(fromUser == null ? StoreKeys.membersFrom(channel) : StoreKeys.member(channel, fromUser),
                StoreKeys.membersEnd(channel));
    }

    /** Thread index keys of a root with reply seq in [from, to]. */
    public KeyValueIterator<Bytes, byte[]> replies(String channel, long root, long from, long to) {
        return store.range(StoreKeys.threadReply(channel, root, Math.max(0, from)), StoreKeys.threadReply(channel, root, Math.max(0, to)));
    }

    public ChannelEvent decode(byte[] raw) {
        ChannelEvent e = events.deserialize("", raw);
        if (e == null) {
            throw new IllegalStateException("an empty event in channel-state");
        }
        return e;
    }
}
