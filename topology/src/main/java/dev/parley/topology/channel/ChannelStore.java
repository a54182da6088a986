package dev.parley.topology.channel;

import dev.parley.avro.event.ChannelEvent;
import dev.parley.topology.state.ChannelMeta;
import dev.parley.topology.state.MemberState;
import dev.parley.topology.state.MessageOverlay;
import dev.parley.topology.state.StateSerde;
import dev.parley.topology.state.StoreKeys;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

/** {@link ChannelReader} plus the writes the fold makes; every write is one RocksDB put or delete. */
public final class ChannelStore extends ChannelReader {

    private static final byte[] PRESENT = {1};

    private final KeyValueStore<Bytes, byte[]> store;

    public ChannelStore(KeyValueStore<Bytes, byte[]> store, Deserializer<ChannelEvent> events) {
        super(store, events);
        this.store = store;
    }

    void putMeta(String channel, ChannelMeta meta) {
        store.put(StoreKeys.meta(channel), StateSerde.CHANNEL_META.toBytes(meta));
    }

    void putMember(String channel, String user, MemberState member) {
        store.put(StoreKeys.member(channel, user), StateSerde.MEMBER.toBytes(member));
    }

    void deleteMember(String channel, String user) {
        store.delete(StoreKeys.member(channel, user));
    }

    void putEvent(String channel, long seq, byte[] logBytes) {
        store.put(StoreKeys.event(channel, seq), logBytes);
    }

    void putOverlay(String channel, long seq, MessageOverlay overlay) {
        store.put(StoreKeys.overlay(channel, seq), StateSerde.OVERLAY.toBytes(overlay));
    }

    void putReply(String channel, long root, long reply) {
        store.put(StoreKeys.threadReply(channel, root, reply), PRESENT);
    }
}
