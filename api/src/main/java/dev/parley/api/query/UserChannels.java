package dev.parley.api.query;

import java.util.List;

/** The channels a user belongs to, ordered by channel id. */
public record UserChannels(String user, List<UserChannel> channels, boolean stale) {
}
