package dev.parley.notifier.decide;

/** A user's notification level, globally or for one channel. */
public enum Level {
    /** Every message (of the channels it applies to). */
    ALL,
    /** Mentions, direct messages and replies in threads the user takes part in: the default. */
    MENTIONS_AND_DIRECT,
    /** Nothing. As a channel's level this is "mute". */
    NOTHING;

    /** Whether a candidate with {@code reason} is notified at this level. */
    public boolean admits(Reason reason) {
        return switch (this) {
            case ALL -> true;
            case MENTIONS_AND_DIRECT -> reason != Reason.CHANNEL_ALL;
            case NOTHING -> false;
        };
    }
}
