package dev.parley.topology.sequencer;

import dev.parley.topology.state.ChannelMeta;
import dev.parley.topology.state.DedupeEntry;
import dev.parley.topology.state.MemberState;
import dev.parley.topology.state.MessageRef;
import dev.parley.topology.state.StateSerde;
import dev.parley.topology.state.StoreKeys;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/** {@link ChannelView} over the sequencer's state stores, for one channel at one point in stream time. */
final class StoreChannelView implements ChannelView {

    private final SequencerStores stores;
    private final String channel;
    private final long nowMillis;
    private final Duration idempotencyWindow;

    StoreChannelView(SequencerStores stores, String channel, long nowMillis, Duration idempotencyWindow) {
        this.stores = stores;
        this.channel = channel;
        this.nowMillis = nowMillis;
        this.idempotencyWindow = idempotencyWindow;
    }

    @Override
    public Optional<ChannelMeta> channel() {
        return Optional.ofNullable(StateSerde.CHANNEL_META.fromBytes(stores.channels().get(channel)));
    }

    @Override
    public Optional<MemberState> member(String user) {
        return Optional.ofNullable(StateSerde.MEMBER.fromBytes(stores.members().get(StoreKeys.pair(channel, user))));
    }

    @Override
    public Optional<DedupeEntry> dedupe(String user, String idempotencyKey) {
        WindowStore<Bytes, byte[]> dedupe = stores.dedupe();
        long from = Math.max(0, nowMillis - idempotencyWindow.toMillis());
        DedupeEntry found = null;
        try (WindowStoreIterator<byte[]> it = dedupe.fetch(StoreKeys.triple(channel, user, idempotencyKey), from, Long.MAX_VALUE)) {
            while (it.hasNext()) {
                DedupeEntry e = StateSerde.DEDUPE.fromBytes(it.next().value);
                if (found == null || e.getSeq() < found.getSeq()) {
                    found = e; // the first outcome is the one every retry must see
                }
            }
        }
        return Optional.ofNullable(found);
    }

    @Override
    public boolean hasReaction(long seq, String emoji, String user) {
        return stores.reactions().get(StoreKeys.reaction(channel, seq, emoji, user)) != null;
    }

    @Override
    public Optional<MessageRef> message(long seq) {
        return Optional.ofNullable(StateSerde.MESSAGE_REF.fromBytes(stores.messages().get(StoreKeys.channelSeq(channel, seq))));
    }

}
