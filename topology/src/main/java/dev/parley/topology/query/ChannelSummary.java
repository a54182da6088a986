package dev.parley.topology.query;

/** What the read side knows of a channel; {@code stale} as in {@link EventPage}. */
public record ChannelSummary(String channel, String visibility, String title, long head, String createdBy,
                             long createdAt, int memberCount, long lastEventAt, boolean stale) {
}
