package dev.parley.notifier.streams;

/** Names of the notifier's state stores (changelogs are {@code <application.id>-<name>-changelog}). */
public final class NotifierStores {

    /** Channel side: channel -> {@link ChannelMeta}. */
    public static final String CHANNELS = "notify-channels";
    /** Channel side: (channel, user) -> present: who may be notified of the channel's messages. */
    public static final String MEMBERS = "notify-members";
    /**
     * Channel side: (channel, root seq, user) -> the time (epoch millis, 8 bytes) of their last post in the thread:
     * who posted a thread's root or a reply, within the thread retention.
     */
    public static final String THREADS = "notify-threads";
    /** Channel side: (last post millis, thread key) -> present: thread participations by age, for pruning. */
    public static final String THREAD_EXPIRY = "notify-thread-expiry";
    /** Channel side: (channel, user) -> present: members whose effective preference for the channel is "all". */
    public static final String OPT_INS = "notify-optins";

    /** User side: user -> preferences. */
    public static final String PREFERENCES = "notify-preferences";
    /** User side: (user, channel) -> present: the user's channels (to update opt-ins when preferences change). */
    public static final String USER_CHANNELS = "notify-user-channels";
    /** User side: (user, channel) -> read cursor. */
    public static final String CURSORS = "notify-cursors";
    /** User side: user -> the pending digest. */
    public static final String PENDING = "notify-pending";
    /** User side: (due millis, user) -> present: pending digests in due order, for the punctuator. */
    public static final String DUE = "notify-due";

    private NotifierStores() {
    }
}
