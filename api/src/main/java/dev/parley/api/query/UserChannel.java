package dev.parley.api.query;

/**
 * A channel a user belongs to, with the channel's current head and the user's read state in it, and how many members
 * it has (0 when not known yet; a gateway delivers a channel above {@code PARLEY_PULL_MEMBERS} in pull mode).
 */
public record UserChannel(String channel, String role, long joinedSeq, long head, String visibility, String title,
                          long lastEventAt, long lastRead, int unread, int mentions, boolean unreadCapped, int members) {
}
