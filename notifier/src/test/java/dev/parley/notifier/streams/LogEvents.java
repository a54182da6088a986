package dev.parley.notifier.streams;

import dev.parley.avro.Actor;
import dev.parley.avro.Role;
import dev.parley.avro.Visibility;
import dev.parley.avro.event.ChannelCreated;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.event.EventKind;
import dev.parley.avro.event.MemberJoined;
import dev.parley.avro.event.MemberLeft;
import dev.parley.avro.event.MessagePosted;
import dev.parley.avro.user.ReadCursorSet;
import dev.parley.avro.user.UserEvent;
import dev.parley.avro.user.UserEventKind;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Log events as the topology writes them, with per-channel seqs, and user events. */
final class LogEvents {

    private final Map<String, Long> seqs = new HashMap<>();

    ChannelEvent created(String channel, String owner, Visibility visibility, Instant at, String... members) {
        return event(channel, owner, at, EventKind.CHANNEL_CREATED, ChannelCreated.newBuilder().setVisibility(visibility)
                .setTitle(null).setDirect(channel.startsWith("dm-")).setMembers(List.of(members)).build(), null);
    }

    ChannelEvent joined(String channel, String user, Instant at) {
        return event(channel, user, at, EventKind.MEMBER_JOINED, MemberJoined.newBuilder().setUser(user).setRole(Role.MEMBER)
                .setAddedBy(null).build(), null);
    }

    ChannelEvent left(String channel, String user, Instant at) {
        return event(channel, user, at, EventKind.MEMBER_LEFT, MemberLeft.newBuilder().setUser(user).build(), null);
    }

    ChannelEvent message(String channel, String sender, Instant at, String text, Long root, String... mentions) {
        long seq = seqs.getOrDefault(channel, 0L) + 1;
        return event(channel, sender, at, EventKind.MESSAGE, MessagePosted.newBuilder().setText(text).setThreadRoot(root)
                .setMentions(List.of(mentions)).build(), "m-" + channel + "-" + seq);
    }

    /** A read cursor as the topology's user sub-topology announces it: a user event, no seq of the channel. */
    UserEvent read(String channel, String user, long upTo, Instant at) {
        return UserEvent.newBuilder().setUser(user).setChannel(channel).setKind(UserEventKind.READ).setTimestamp(at)
                .setDevice("d1").setCommandId("c-" + user + "-" + upTo).setPayload(new ReadCursorSet(upTo)).build();
    }

    private ChannelEvent event(String channel, String actor, Instant at, EventKind kind, Object payload, String messageId) {
        long seq = seqs.merge(channel, 1L, Long::sum);
        return ChannelEvent.newBuilder().setChannel(channel).setSeq(seq).setEventId("ev-" + channel + "-" + seq)
                .setMessageId(messageId).setKind(kind).setActor(new Actor(actor, "d1")).setTimestamp(at)
                .setIdempotencyKey(null).setCommandId(null).setPayload(payload).build();
    }
}
