package dev.parley.topology.channel;

import dev.parley.avro.event.MessagePosted;
import dev.parley.topology.sequencer.ChannelView;
import dev.parley.topology.sequencer.MessageRef;
import dev.parley.topology.state.ChannelMeta;
import dev.parley.topology.state.DedupeEntry;
import dev.parley.topology.state.MemberState;
import dev.parley.topology.state.MessageOverlay;
import dev.parley.topology.state.StateSerde;
import dev.parley.topology.state.StoreKeys;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * {@link ChannelView} over {@code channel-state} and {@code dedupe}, for one channel at one point in stream
 * time. A message is its posted event plus its overlay (what changed since).
 */
final class StoreChannelView implements ChannelView {

    private final ChannelStore store;
    private final WindowStore<Bytes, byte[]> dedupe;
    private final String channel;
    private final long nowMillis;
    private final Duration idempotencyWindow;
    private Optional<ChannelMeta> meta;

    StoreChannelView(ChannelStore store, WindowStore<Bytes, byte[]> dedupe, String channel, long nowMillis, Duration idempotencyWindow) {
        this.store = store;
        this.dedupe = dedupe;
        this.channel = channel;
        this.nowMillis = nowMillis;
        this.idempotencyWindow = idempotencyWindow;
    }

    /** Read once per command: the decider asks, then the fold changes it. */
    @Override
    public Optional<ChannelMeta> channel() {
        if (meta == null) {
            meta = store.meta(channel);
        }
        return meta;
    }

    @Override
    public Optional<MemberState> member(String user) {
        return store.member(channel, user);
    }

    @Override
    public Optional<DedupeEntry> dedupe(String user, String idempotencyKey) {
        long from = Math.max(0, nowMillis - idempotencyWindow.toMillis());
        DedupeEntry found = null;
        try (WindowStoreIterator<byte[]> it = dedupe.fetch(StoreKeys.dedupe(channel, user, idempotencyKey), from, Long.MAX_VALUE)) {
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
    public Optional<MessageRef> message(long seq) {
        if (seq < 1) {
            return Optional.empty();
        }
        return store.event(channel, seq)
                .filter(e -> e.getPayload() instanceof MessagePosted)
                .map(e -> {
                    MessageOverlay o = store.overlay(channel, seq);
                    return new MessageRef(e.getMessageId(), e.getActor().getUser(), ((MessagePosted) e.getPayload()).getThreadRoot(),
                            o != null && o.getDeleted());
                });
    }

    @Override
    public boolean hasReaction(long seq, String emoji, String user) {
        MessageOverlay o = store.overlay(channel, seq);
        return o != null && o.getReactions().getOrDefault(emoji, List.of()).contains(user);
    }
}
