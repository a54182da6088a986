package dev.parley.topology.channel;

import dev.parley.api.events.Memberships;
import dev.parley.avro.event.ChannelCreated;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.event.MessageDeleted;
import dev.parley.avro.event.MessageEdited;
import dev.parley.avro.event.MessagePosted;
import dev.parley.avro.event.ReactionAdded;
import dev.parley.avro.event.ReactionRemoved;
import dev.parley.topology.state.ChannelMeta;
import dev.parley.topology.state.DedupeEntry;
import dev.parley.topology.state.MemberState;
import dev.parley.topology.state.MessageOverlay;
import dev.parley.topology.state.StateSerde;
import dev.parley.topology.state.StoreKeys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.WindowStore;

/**
 * How an event changes a channel's state: {@code channel-state} and {@code dedupe} are a fold of the log
 * through this class, used alike by the channel processor (right after the decider produced the event) and by
 * the rebuild from the log. The event is the only input, so replaying the log yields the same state.
 *
 * <p>What it writes: always the event (its exact log bytes) and the channel's meta (head, last event time);
 * the dedupe entry when the event has an idempotency key; members on membership events; the overlay of the
 * message an edit, deletion, reaction or reply changes; the thread index on replies. A plain message is
 * therefore three writes: event, meta, dedupe. An old {@code READ} event (read cursors were channel events
 * before) is kept with its seq and changes nothing else here.
 */
public final class ChannelFold {

    private final ChannelStore store;
    private final WindowStore<Bytes, byte[]> dedupe;

    public ChannelFold(ChannelStore store, WindowStore<Bytes, byte[]> dedupe) {
        this.store = store;
        this.dedupe = dedupe;
    }

    /**
     * @param e        the event
     * @param logBytes the event exactly as it is (or goes) in the log
     * @param before   the channel's meta before the event (null for a channel created by it)
     */
    public void apply(ChannelEvent e, byte[] logBytes, ChannelMeta before) {
        String channel = e.getChannel();
        long seq = e.getSeq();
        long ts = e.getTimestamp().toEpochMilli();
        store.putEvent(channel, seq, logBytes);
        ChannelMeta meta = before;
        Object p = e.getPayload();
        if (p instanceof ChannelCreated created) {
            meta = new ChannelMeta(created.getVisibility().name(), created.getTitle(), created.getDirect(), seq,
                    e.getActor().getUser(), ts, 0, ts);
        }
        if (meta == null) {
            throw new IllegalStateException("event " + channel + "#" + seq + " precedes the channel's creation");
        }
        for (Memberships.Change c : Memberships.of(e)) {
            if (c.joined()) {
                store.putMember(channel, c.user(), new MemberState(c.role().name(), seq, ts));
                meta.setMemberCount(meta.getMemberCount() + 1);
            } else {
                store.deleteMember(channel, c.user());
                meta.setMemberCount(Math.max(0, meta.getMemberCount() - 1));
            }
        }
        if (p instanceof MessagePosted posted && posted.getThreadRoot() != null) {
            long root = posted.getThreadRoot();
            store.putReply(channel, root, seq);
            change(channel, root, o -> {
                o.setReplyCount(o.getReplyCount() + 1);
                o.setLastReplySeq(seq);
                o.setLastReplyAt(ts);
            });
        } else if (p instanceof MessageEdited edited) {
            change(channel, edited.getMessageSeq(), o -> {
                o.setText(edited.getText());
                o.setMentions(new ArrayList<>(edited.getMentions()));
                o.setEditedAt(ts);
                List<Long> edits = new ArrayList<>(o.getEditSeqs());
                edits.add(seq);
                o.setEditSeqs(edits);
            });
        } else if (p instanceof MessageDeleted deleted) {
            long target = deleted.getMessageSeq();
            change(channel, target, o -> {
                o.setDeleted(true);
                o.setDeletedSeq(seq);
                o.setText(null);
                o.setMentions(new ArrayList<>());
                o.setReactions(new HashMap<>());
            });
            store.event(channel, target)
                    .filter(m -> m.getPayload() instanceof MessagePosted mp && mp.getThreadRoot() != null)
                    .map(m -> ((MessagePosted) m.getPayload()).getThreadRoot())
                    .ifPresent(root -> change(channel, root, o -> o.setReplyCount(Math.max(0, o.getReplyCount() - 1))));
        } else if (p instanceof ReactionAdded added) {
            change(channel, added.getMessageSeq(), o -> {
                Map<String, List<String>> reactions = new HashMap<>(o.getReactions());
                List<String> users = new ArrayList<>(reactions.getOrDefault(added.getEmoji(), List.of()));
                if (!users.contains(e.getActor().getUser())) {
                    users.add(e.getActor().getUser());
                }
                reactions.put(added.getEmoji(), users);
                o.setReactions(reactions);
            });
        } else if (p instanceof ReactionRemoved removed) {
            change(channel, removed.getMessageSeq(), o -> {
                Map<String, List<String>> reactions = new HashMap<>(o.getReactions());
                List<String> users = new ArrayList<>(reactions.getOrDefault(removed.getEmoji(), List.of()));
                users.remove(e.getActor().getUser());
                if (users.isEmpty()) {
                    reactions.remove(removed.getEmoji());
                } else {
                    reactions.put(removed.getEmoji(), users);
                }
                o.setReactions(reactions);
            });
        }
        meta.setHead(seq);
        meta.setLastEventAt(ts);
        store.putMeta(channel, meta);
        if (e.getIdempotencyKey() != null) {
            dedupe.put(StoreKeys.dedupe(channel, e.getActor().getUser(), e.getIdempotencyKey()),
                    StateSerde.DEDUPE.toBytes(new DedupeEntry(seq, e.getEventId(), e.getMessageId())), ts);
        }
    }

    private void change(String channel, long seq, Consumer<MessageOverlay> change) {
        MessageOverlay o = store.overlay(channel, seq);
        if (o == null) {
            o = MessageOverlay.newBuilder().build();
        }
        change.accept(o);
        store.putOverlay(channel, seq, o);
    }
}
