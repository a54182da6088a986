package dev.parley.notifier.presence;

/**
 * Whether a user is online on any device now, and when they last were.
 *
 * @param online       at least one device is connected to a gateway
 * @param lastOnlineAt the last time (epoch millis) a device of theirs was connected; {@code now} while online,
 *                     -1 when never seen
 */
public record Presence(boolean online, long lastOnlineAt) {

    public static final Presence NEVER_SEEN = new Presence(false, -1);
}
