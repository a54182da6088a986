package dev.parley.api.query;

/** A member of a channel: role ({@code owner}/{@code member}), and the seq and time it joined at. */
public record MemberEntry(String channel, String user, String role, long joinedSeq, long joinedAt) {
}
