package dev.parley.api.query;

/** A channel a user belongs to, with the channel's current head and the user's read state in it. */
public record UserChannel(String channel, String role, long joinedSeq, long head, String visibility, String title,
                          long lastEventAt, long lastRead, int unread, int mentions, boolean unreadCapped) {
}
