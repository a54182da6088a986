package dev.parley.connect.support;

import dev.parley.avro.Actor;
import dev.parley.avro.Role;
import dev.parley.avro.Visibility;
import dev.parley.avro.event.ChannelCreated;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.event.EventKind;
import dev.parley.avro.event.MemberJoined;
import dev.parley.avro.event.MemberLeft;
import dev.parley.avro.event.MessageDeleted;
import dev.parley.avro.event.MessageEdited;
import dev.parley.avro.event.MessagePosted;
import dev.parley.avro.event.ReactionAdded;
import dev.parley.avro.event.ReactionRemoved;
import dev.parley.avro.event.ReadCursorMoved;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Builds the ChannelEvents the topology appends for one channel, the way it does: a gap-free seq from 1,
 * an event id per event, a message id on MESSAGE events (and, for edits, deletes and reactions, the id of the
 * message they refer to), the command's actor, timestamp and idempotency key.
 */
public final class ChannelScript {

    private final String channel;
    private final long startMillis;
    private long seq;
    private final Map<Long, String> messageIds = new HashMap<>();
    private final List<ChannelEvent> events = new ArrayList<>();

    public ChannelScript(String channel, Instant start) {
        this.channel = channel;
        this.startMillis = start.toEpochMilli();
    }

    public String channel() {
        return channel;
    }

    /** Everything appended so far, in seq order. */
    public List<ChannelEvent> events() {
        return List.copyOf(events);
    }

    public long lastSeq() {
        return seq;
    }

    public ChannelScript create(String owner, String title) {
        append(owner, null, EventKind.CHANNEL_CREATED,
                ChannelCreated.newBuilder().setVisibility(Visibility.PUBLIC).setTitle(title).build());
        return this;
    }

    public ChannelScript join(String user) {
        append(user, null, EventKind.MEMBER_JOINED, new MemberJoined(user, Role.MEMBER, null));
        return this;
    }

    public ChannelScript leave(String user) {
        append(user, null, EventKind.MEMBER_LEFT, new MemberLeft(user));
        return this;
    }

    /** @return the new message's seq */
    public long post(String user, String text) {
        return post(user, text, null, List.of());
    }

    /** @return the new message's seq */
    public long post(String user, String text, Long threadRoot, List<String> mentions) {
        long s = seq + 1;
        String id = "msg-" + channel + "-" + s;
        messageIds.put(s, id);
        append(user, id, EventKind.MESSAGE, MessagePosted.newBuilder().setText(text).setThreadRoot(threadRoot)
                .setMentions(mentions).build());
        return s;
    }

    public ChannelScript edit(String user, long messageSeq, String text) {
        append(user, messageIds.get(messageSeq), EventKind.EDITED,
                MessageEdited.newBuilder().setMessageSeq(messageSeq).setText(text).build());
        return this;
    }

    public ChannelScript delete(String user, long messageSeq) {
        append(user, messageIds.get(messageSeq), EventKind.DELETED, new MessageDeleted(messageSeq));
        return this;
    }

    public ChannelScript react(String user, long messageSeq, String emoji) {
        append(user, messageIds.get(messageSeq), EventKind.REACTION_ADDED, new ReactionAdded(messageSeq, emoji));
        return this;
    }

    public ChannelScript unreact(String user, long messageSeq, String emoji) {
        append(user, messageIds.get(messageSeq), EventKind.REACTION_REMOVED, new ReactionRemoved(messageSeq, emoji));
        return this;
    }

    public ChannelScript read(String user, long upTo) {
        append(user, null, EventKind.READ, new ReadCursorMoved(upTo));
        return this;
    }

    private void append(String user, String messageId, EventKind kind, Object payload) {
        seq++;
        events.add(ChannelEvent.newBuilder()
                .setChannel(channel)
                .setSeq(seq)
                .setEventId("ev-" + UUID.nameUUIDFromBytes((channel + "/" + seq).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .setMessageId(messageId)
                .setKind(kind)
                .setActor(Actor.newBuilder().setUser(user).setDevice("laptop-" + user).build())
                // one minute apart, so "per day" queries have something to group
                .setTimestamp(Instant.ofEpochMilli(startMillis + seq * 60_000L))
                .setIdempotencyKey("idem-" + channel + "-" + seq)
                .setCommandId("cmd-" + channel + "-" + seq)
                .setPayload(payload)
                .build());
    }
}
