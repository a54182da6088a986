package dev.parley.notifier.streams;

import dev.parley.notifier.decide.ChannelFacts;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.common.serialization.BytesSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** {@link ChannelFacts} of one channel, read from the channel side's stores as the decider asks. */
final class StoreChannelFacts implements ChannelFacts {

    private final String channel;
    private final ChannelMeta meta;
    private final KeyValueStore<Bytes, byte[]> members;
    private final KeyValueStore<Bytes, byte[]> threads;
    private final KeyValueStore<Bytes, byte[]> optIns;

    StoreChannelFacts(String channel, ChannelMeta meta, KeyValueStore<Bytes, byte[]> members,
                      KeyValueStore<Bytes, byte[]> threads, KeyValueStore<Bytes, byte[]> optIns) {
        this.channel = channel;
        this.meta = meta;
        this.members = members;
        this.threads = threads;
        this.optIns = optIns;
    }

    @Override
    public boolean exists() {
        return meta != null;
    }

    @Override
    public boolean isDirect() {
        return meta != null && meta.direct();
    }

    @Override
    public boolean isMember(String user) {
        return members.get(StoreKeys.pair(channel, user)) != null;
    }

    @Override
    public Collection<String> directMembers() {
        return isDirect() ? seconds(members, StoreKeys.prefix(channel)) : List.of();
    }

    @Override
    public Collection<String> threadParticipants(long rootSeq) {
        List<String> out = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = threads.prefixScan(StoreKeys.prefix(channel, rootSeq), new BytesSerializer())) {
            it.forEachRemaining(kv -> out.add(StoreKeys.third(kv.key)));
        }
        return out;
    }

    @Override
    public Collection<String> allOptIns() {
        return seconds(optIns, StoreKeys.prefix(channel));
    }

    static List<String> seconds(KeyValueStore<Bytes, byte[]> store, Bytes prefix) {
        List<String> out = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.prefixScan(prefix, new BytesSerializer())) {
            it.forEachRemaining(kv -> out.add(StoreKeys.second(kv.key)));
        }
        return out;
    }
}
