package dev.parley.ops.chaos.check;

import java.util.Objects;

/**
 * One event of the committed log ({@code parley.log}, read_committed), reduced to what the checker needs.
 *
 * @param channel     the channel
 * @param seq         its seq in the channel
 * @param kind        what happened
 * @param user        who did it (the actor)
 * @param eventId     the event's id (unique)
 * @param clientMsgId the sender's idempotency key, for messages; else null
 * @param member      the member who joined or left, for membership events; else null
 * @param privateChannel for {@link Kind#CHANNEL_CREATED}: whether the channel is private
 */
public record LoggedEvent(String channel, long seq, Kind kind, String user, String eventId, String clientMsgId,
                          String member, boolean privateChannel) {

    /** The kinds the checker tells apart. */
    public enum Kind { CHANNEL_CREATED, MEMBER_JOINED, MEMBER_LEFT, MESSAGE, OTHER }

    public LoggedEvent {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(kind, "kind");
    }

    public static LoggedEvent created(String channel, String owner, boolean privateChannel) {
        return new LoggedEvent(channel, 1, Kind.CHANNEL_CREATED, owner, id(channel, 1), null, null, privateChannel);
    }

    public static LoggedEvent joined(String channel, long seq, String member, String by) {
        return new LoggedEvent(channel, seq, Kind.MEMBER_JOINED, by, id(channel, seq), null, member, false);
    }

    public static LoggedEvent left(String channel, long seq, String member) {
        return new LoggedEvent(channel, seq, Kind.MEMBER_LEFT, member, id(channel, seq), null, member, false);
    }

    public static LoggedEvent message(String channel, long seq, String user, String clientMsgId) {
        return new LoggedEvent(channel, seq, Kind.MESSAGE, user, id(channel, seq), clientMsgId, null, false);
    }

    /** A readable event id for crafted histories: {@code channel#seq}. */
    public static String id(String channel, long seq) {
        return channel + "#" + seq;
    }
}
