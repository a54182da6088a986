package dev.parley.gateway.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.query.UserChannel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The channel list of a welcome and of a {@code channels} page: the read side's list, which trails the log, with
 * the joins and leaves this gateway saw since. The {@code channels} page used the read side alone:
 * HardeningIT's paging test saw a channel created a moment before missing from the second page.
 */
class RecentMembershipsTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-30T08:00:00Z"), ZoneOffset.UTC);

    private static UserChannel listed(String channel, long joinedSeq, long head) {
        return new UserChannel(channel, "member", joinedSeq, head, "public", null, 0, 0, 0, 0, false, 0);
    }

    @Test
    void recentJoinsAreAddedRecentLeavesRemovedAndOlderChangesIgnored() {
        RecentMemberships recent = new RecentMemberships(Duration.ofMinutes(5), clock);
        recent.record("ann", "c-new", 7, true);      // joined after the read side's list was made
        recent.record("ann", "c-gone", 12, false);   // left after it
        recent.record("ann", "c-old", 3, false);     // a leave the list already reflects a later re-join of
        List<UserChannel> readSide = List.of(listed("c-old", 9, 20), listed("c-gone", 4, 15), listed("a-kept", 1, 2));

        var channels = recent.applyTo("ann", readSide);

        assertThat(channels.keySet()).containsExactly("a-kept", "c-new", "c-old");
        assertThat(channels.get("c-new").head()).isEqualTo(7);
        assertThat(channels.get("c-old").head()).isEqualTo(20);
        assertThat(recent.applyTo("bob", readSide).keySet()).containsExactly("a-kept", "c-gone", "c-old");
    }
}
