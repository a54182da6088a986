package dev.parley.topology.projection;

import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.event.MessageDeleted;
import dev.parley.avro.event.MessageEdited;
import dev.parley.avro.event.MessagePosted;
import dev.parley.avro.event.ReactionAdded;
import dev.parley.avro.event.ReactionRemoved;
import dev.parley.topology.state.MessageView;
import dev.parley.topology.state.StateSerde;
import dev.parley.topology.state.StoreKeys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Current state of every message, folded from the log: edits applied, deletions tombstoned (and the text
 * of the message and of its edits redacted from catch-up), reactions aggregated, thread reply counts and
 * the thread index.
 */
final class MessageProjection {

    private static final byte[] PRESENT = {1};

    private final KeyValueStore<Bytes, byte[]> views;
    private final KeyValueStore<Bytes, byte[]> threads;
    private final KeyValueStore<Bytes, byte[]> redactions;

    MessageProjection(KeyValueStore<Bytes, byte[]> views, KeyValueStore<Bytes, byte[]> threads, KeyValueStore<Bytes, byte[]> redactions) {
        this.views = views;
        this.threads = threads;
        this.redactions = redactions;
    }

    void apply(ChannelEvent e) {
        String channel = e.getChannel();
        long ts = e.getTimestamp().toEpochMilli();
        Object p = e.getPayload();
        if (p instanceof MessagePosted posted) {
            MessageView v = MessageView.newBuilder()
                    .setMessageId(e.getMessageId())
                    .setAuthor(e.getActor().getUser())
                    .setText(posted.getText())
                    .setTs(ts)
                    .setClientMsgId(e.getIdempotencyKey())
                    .setThreadRoot(posted.getThreadRoot())
                    .setMentions(new ArrayList<>(posted.getMentions()))
                    .setReactions(new HashMap<>())
                    .setEditSeqs(new ArrayList<>())
                    .build();
            put(channel, e.getSeq(), v);
            if (posted.getThreadRoot() != null) {
                threads.put(StoreKeys.threadReply(channel, posted.getThreadRoot(), e.getSeq()), PRESENT);
                update(channel, posted.getThreadRoot(), root -> {
                    root.setReplyCount(root.getReplyCount() + 1);
                    root.setLastReplySeq(e.getSeq());
                    root.setLastReplyAt(ts);
                });
            }
        } else if (p instanceof MessageEdited edited) {
            update(channel, edited.getMessageSeq(), v -> {
                v.setText(edited.getText());
                v.setEditedAt(ts);
                v.setMentions(new ArrayList<>(edited.getMentions()));
                List<Long> edits = new ArrayList<>(v.getEditSeqs());
                edits.add(e.getSeq());
                v.setEditSeqs(edits);
            });
        } else if (p instanceof MessageDeleted deleted) {
            long target = deleted.getMessageSeq();
            MessageView v = get(channel, target);
            if (v == null) {
                return;
            }
            byte[] by = longBytes(e.getSeq());
            redactions.put(StoreKeys.channelSeq(channel, target), by);
            for (Long edit : v.getEditSeqs()) {
                redactions.put(StoreKeys.channelSeq(channel, edit), by);
            }
            v.setDeleted(true);
            v.setText(null);
            v.setMentions(new ArrayList<>());
            v.setReactions(new HashMap<>());
            put(channel, target, v);
            if (v.getThreadRoot() != null) {
                update(channel, v.getThreadRoot(), root -> root.setReplyCount(Math.max(0, root.getReplyCount() - 1)));
            }
        } else if (p instanceof ReactionAdded added) {
            update(channel, added.getMessageSeq(), v -> {
                Map<String, List<String>> reactions = new HashMap<>(v.getReactions());
                List<String> users = new ArrayList<>(reactions.getOrDefault(added.getEmoji(), List.of()));
                if (!users.contains(e.getActor().getUser())) {
                    users.add(e.getActor().getUser());
                }
                reactions.put(added.getEmoji(), users);
                v.setReactions(reactions);
            });
        } else if (p instanceof ReactionRemoved removed) {
            update(channel, removed.getMessageSeq(), v -> {
                Map<String, List<String>> reactions = new HashMap<>(v.getReactions());
                List<String> users = new ArrayList<>(reactions.getOrDefault(removed.getEmoji(), List.of()));
                users.remove(e.getActor().getUser());
                if (users.isEmpty()) {
                    reactions.remove(removed.getEmoji());
                } else {
                    reactions.put(removed.getEmoji(), users);
                }
                v.setReactions(reactions);
            });
        }
    }

    private MessageView get(String channel, long seq) {
        return StateSerde.MESSAGE_VIEW.fromBytes(views.get(StoreKeys.channelSeq(channel, seq)));
    }

    private void put(String channel, long seq, MessageView v) {
        views.put(StoreKeys.channelSeq(channel, seq), StateSerde.MESSAGE_VIEW.toBytes(v));
    }

    private void update(String channel, long seq, java.util.function.Consumer<MessageView> change) {
        MessageView v = get(channel, seq);
        if (v != null) {
            change.accept(v);
            put(channel, seq, v);
        }
    }

    static byte[] longBytes(long v) {
        return java.nio.ByteBuffer.allocate(8).putLong(v).array();
    }
}
