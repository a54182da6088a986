package dev.parley.api.query;

/**
 * What the read side knows of a channel; {@code stale} as in {@link EventPage}. When asked for a user, also
 * that user's read cursor, the messages from others after it ({@code unread}, top-level messages only) and
 * how many of those mention the user; {@code unreadCapped} when there were more than the counting limit.
 */
public record ChannelSummary(String channel, String visibility, String title, long head, String createdBy,
                             long createdAt, int memberCount, long lastEventAt, boolean stale,
                             long lastRead, int unread, int mentions, boolean unreadCapped) {

    public ChannelSummary withUnread(long lastRead, int unread, int mentions, boolean capped) {
        return new ChannelSummary(channel, visibility, title, head, createdBy, createdAt, memberCount, lastEventAt, stale,
                lastRead, unread, mentions, capped);
    }
}
