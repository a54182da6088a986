package dev.parley.ops.chaos.check;

/** An event a client received: its channel, seq and event id (to compare with the log's). */
public record Received(String channel, long seq, String eventId) {

    /** An event as {@link LoggedEvent#id} names it, for crafted histories. */
    public static Received of(String channel, long seq) {
        return new Received(channel, seq, LoggedEvent.id(channel, seq));
    }
}
