package dev.parley.notifier.digest;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * What a user is to be told once the delay has passed: the messages that triggered a notification since the
 * first one, minus those read or seen since. Immutable; every change returns a new digest.
 *
 * @param user         the recipient
 * @param firstEventId the event id of the message that opened the digest: with the user, it names the
 *                     notification ({@link NotificationIds}), so a restart re-emits the same id
 * @param firstAt      commit time of that message (epoch millis)
 * @param dueAt        when the digest is decided (epoch millis): {@code firstAt + delay}
 * @param items        the messages still to notify, oldest first (at most the tracking cap)
 * @param overflow     messages beyond the tracking cap, counted but not tracked (a burst on a busy channel)
 */
public record PendingDigest(String user, String firstEventId, long firstAt, long dueAt, List<DigestItem> items,
                            int overflow) {

    public PendingDigest {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(firstEventId, "firstEventId");
        items = List.copyOf(items);
    }

    /** A digest opened by {@code first}, due {@code delayMillis} after it was committed. */
    public static PendingDigest open(String user, DigestItem first, long delayMillis) {
        return new PendingDigest(user, first.eventId(), first.timestamp(), first.timestamp() + delayMillis,
                List.of(first), 0);
    }

    /** How many messages the notification counts. */
    public int count() {
        return items.size() + overflow;
    }

    /** True once nothing is left to notify: the digest is cancelled. */
    public boolean isEmpty() {
        return items.isEmpty();
    }

    /** With {@code item} added (a message already in it is not added twice); beyond {@code cap} the oldest is counted only. */
    public PendingDigest with(DigestItem item, int cap) {
        for (DigestItem i : items) {
            if (i.sameMessage(item)) {
                return this;
            }
        }
        List<DigestItem> next = new ArrayList<>(items.size() + 1);
        next.addAll(items);
        next.add(item);
        int dropped = 0;
        while (next.size() > Math.max(1, cap)) {
            next.remove(0);
            dropped++;
        }
        return new PendingDigest(user, firstEventId, firstAt, dueAt, next, overflow + dropped);
    }

    /** Without the messages of {@code channel} up to {@code upTo}: the user's read cursor passed them. */
    public PendingDigest read(String channel, long upTo) {
        return retain(i -> !(i.channel().equals(channel) && i.seq() <= upTo));
    }

    /** Without the messages committed up to {@code seenAt}: the user was online then, so their devices got them. */
    public PendingDigest seenUntil(long seenAt) {
        return retain(i -> i.timestamp() > seenAt);
    }

    /** Only the messages {@code keep} accepts (this same digest when it accepts them all). */
    public PendingDigest retain(Predicate<DigestItem> keep) {
        List<DigestItem> next = items.stream().filter(keep).toList();
        return next.size() == items.size() ? this : new PendingDigest(user, firstEventId, firstAt, dueAt, next, overflow);
    }

    /** The last {@code n} messages, newest first. */
    public List<DigestItem> latest(int n) {
        List<DigestItem> out = new ArrayList<>();
        for (int i = items.size() - 1; i >= 0 && out.size() < n; i--) {
            out.add(items.get(i));
        }
        return out;
    }
}
