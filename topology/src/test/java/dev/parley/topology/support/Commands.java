package dev.parley.topology.support;

import dev.parley.avro.Actor;
import dev.parley.avro.Visibility;
import dev.parley.avro.command.AddMember;
import dev.parley.avro.command.CommandEnvelope;
import dev.parley.avro.command.CreateChannel;
import dev.parley.avro.command.JoinChannel;
import dev.parley.avro.command.LeaveChannel;
import dev.parley.avro.command.SendMessage;
import java.time.Instant;
import java.util.UUID;

/** Builds command envelopes for tests. */
public final class Commands {

    private Commands() {
    }

    public static CommandEnvelope create(String channel, String user, boolean isPrivate, Instant ts) {
        return envelope(channel, user, null, new CreateChannel(isPrivate ? Visibility.PRIVATE : Visibility.PUBLIC, null), ts);
    }

    public static CommandEnvelope join(String channel, String user, Instant ts) {
        return envelope(channel, user, null, new JoinChannel(), ts);
    }

    public static CommandEnvelope leave(String channel, String user, Instant ts) {
        return envelope(channel, user, null, new LeaveChannel(), ts);
    }

    public static CommandEnvelope add(String channel, String user, String member, Instant ts) {
        return envelope(channel, user, null, new AddMember(member), ts);
    }

    public static CommandEnvelope send(String channel, String user, String key, String text, Instant ts) {
        return envelope(channel, user, key, new SendMessage(text, null), ts);
    }

    public static CommandEnvelope reply(String channel, String user, String key, String text, long root, Instant ts) {
        return envelope(channel, user, key, new SendMessage(text, root), ts);
    }

    public static CommandEnvelope edit(String channel, String user, String key, long seq, String text, Instant ts) {
        return envelope(channel, user, key, new dev.parley.avro.command.EditMessage(seq, text), ts);
    }

    public static CommandEnvelope delete(String channel, String user, String key, long seq, Instant ts) {
        return envelope(channel, user, key, new dev.parley.avro.command.DeleteMessage(seq), ts);
    }

    public static CommandEnvelope react(String channel, String user, String key, long seq, String emoji, Instant ts) {
        return envelope(channel, user, key, new dev.parley.avro.command.AddReaction(seq, emoji), ts);
    }

    public static CommandEnvelope unreact(String channel, String user, String key, long seq, String emoji, Instant ts) {
        return envelope(channel, user, key, new dev.parley.avro.command.RemoveReaction(seq, emoji), ts);
    }

    public static CommandEnvelope markRead(String channel, String user, String key, long seq, Instant ts) {
        return envelope(channel, user, key, new dev.parley.avro.command.MarkRead(seq), ts);
    }

    /** A user command: no channel of its own ({@code channel} is the one whose override changes, or null). */
    public static CommandEnvelope setNotifications(String user, String key, dev.parley.avro.NotificationLevel level, String channel,
                                                   dev.parley.avro.ChannelNotificationLevel channelLevel, Instant ts) {
        return envelope("", user, key, new dev.parley.avro.command.SetNotificationPreferences(level, channel, channelLevel), ts);
    }

    public static CommandEnvelope openDirect(String user, String key, java.util.List<String> members, Instant ts) {
        return envelope(dev.parley.api.DirectChannels.idFor(members), user, key,
                new dev.parley.avro.command.OpenDirect(members), ts);
    }

    public static CommandEnvelope envelope(String channel, String user, String key, Object command, Instant ts) {
        return CommandEnvelope.newBuilder()
                .setCommandId(UUID.randomUUID().toString())
                .setChannel(channel)
                .setGatewayId("gw-test")
                .setRequestId(UUID.randomUUID().toString())
                .setActor(new Actor(user, "dev-" + user))
                .setTimestamp(ts)
                .setIdempotencyKey(key)
                .setCommand(command)
                .build();
    }
}
