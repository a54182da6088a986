package dev.parley.api.query;

import java.util.List;
import java.util.Map;

/**
 * Which of some channels each of some users belongs to: {@code user -> channels}, users in none of them left out.
 *
 * @param stale true when part of the answer came from a copy that may trail the committed state
 */
public record UserMemberships(Map<String, List<String>> channels, boolean stale) {

    public UserMemberships {
        channels = Map.copyOf(channels);
    }
}
