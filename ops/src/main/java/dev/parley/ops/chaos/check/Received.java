package dev.parley.ops.chaos.check;

/**
 * An event a client received: its channel, seq and event id (to compare with the log's), and when it arrived.
 *
 * @param atNanos {@link System#nanoTime()} when it arrived (for the privacy check against when the user was added)
 */
public record Received(String channel, long seq, String eventId, long atNanos) {

    /** An event as {@link LoggedEvent#id} names it, arrived at time 0, for crafted histories. */
    public static Received of(String channel, long seq) {
        return new Received(channel, seq, LoggedEvent.id(channel, seq), 0);
    }

    public Received at(long nanos) {
        return new Received(channel, seq, eventId, nanos);
    }
}
