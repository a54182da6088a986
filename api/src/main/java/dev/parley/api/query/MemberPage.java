package dev.parley.api.query;

import java.util.List;

/** Members of a channel ordered by user id; {@code more} when more follow the last one. */
public record MemberPage(String channel, List<MemberEntry> members, boolean more, boolean stale) {
}
