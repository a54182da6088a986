package dev.parley.notifier.digest;

import dev.parley.notifier.presence.Presence;

/** What becomes of a digest when it is due. */
public sealed interface DigestDecision {

    /** Notify the user of {@code digest} (what is left of it) under {@code notificationId}. */
    record Notify(String notificationId, PendingDigest digest) implements DigestDecision {
    }

    /** Nothing to notify: the user is online, or read or saw every message. */
    record Cancel(String why) implements DigestDecision {
    }

    /**
     * The rule of "when": a due digest is notified unless the user is online now (their devices show the
     * messages), and only with the messages committed after the user was last online and not read since
     * (reads are applied as they happen, {@link PendingDigest#read}).
     */
    static DigestDecision decide(PendingDigest digest, Presence presence) {
        if (presence.online()) {
            return new Cancel("online");
        }
        PendingDigest left = presence.lastOnlineAt() >= 0 ? digest.seenUntil(presence.lastOnlineAt()) : digest;
        if (left.isEmpty()) {
            return new Cancel(digest.isEmpty() ? "read" : "seen");
        }
        return new Notify(NotificationIds.of(digest.user(), digest.firstEventId()), left);
    }
}
