package dev.parley.notifier.decide;

/**
 * Why a user is notified of a message, strongest first: when several apply (a DM that mentions the user),
 * the strongest is kept.
 */
public enum Reason {
    /** Any message in a direct-message channel the user is a member of. */
    DIRECT,
    /** The message mentions the user ({@code @user}) and the user is a member of the channel. */
    MENTION,
    /** A reply in a thread the user takes part in (posted its root or a reply). */
    THREAD_REPLY,
    /** Any message in a channel whose effective preference is "all". */
    CHANNEL_ALL;

    /** The stronger of two reasons. */
    public Reason strongest(Reason other) {
        return other == null || ordinal() <= other.ordinal() ? this : other;
    }
}
