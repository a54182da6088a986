package dev.parley.topology.state;

/** Names of the topology's state stores (their changelog topics are {@code <application.id>-<name>-changelog}). */
public final class StoreNames {

    /**
     * Everything about a channel, every key prefixed by it ({@link StoreKeys}): meta, members, the events by
     * seq as they are in the log, message overlays, the thread index. Written by the channel processor, read
     * by it and by interactive queries (committed state only).
     */
    public static final String CHANNEL_STATE = "channel-state";
    /** (channel, user, idempotency key) -> the original outcome; a window store whose retention is the idempotency window. */
    public static final String DEDUPE = "dedupe";
    /** (user, channel) -> the user's membership and read cursor; written by the user processor. */
    public static final String USER_STATE = "user-state";
    /** The repartition topic from the channel sub-topology to the user sub-topology ({@code <application.id>-user-updates-repartition}). */
    public static final String USER_UPDATES = "user-updates";

    private StoreNames() {
    }
}
