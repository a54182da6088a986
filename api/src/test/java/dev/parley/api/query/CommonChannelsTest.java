package dev.parley.api.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CommonChannelsTest {

    @Test
    void onlyOthersWithAChannelInCommonAreListedWithEveryChannelTheyShareSorted() {
        UserMemberships theirs = new UserMemberships(Map.of(
                "bob", List.of("team", "dm-ab", "random"),
                "carol", List.of("elsewhere"),
                "alice", List.of("team")), false);

        CommonChannels c = CommonChannels.of("alice", Set.of("team", "dm-ab", "ops"), theirs, false);

        assertThat(c.shared()).containsOnlyKeys("bob");
        assertThat(c.shared().get("bob")).containsExactly("dm-ab", "team");
        assertThat(c.user()).isEqualTo("alice");
        assertThat(c.stale()).isFalse();
    }

    @Test
    void aStaleSideMakesTheAnswerStale() {
        assertThat(CommonChannels.of("alice", Set.of("team"), new UserMemberships(Map.of(), true), false).stale()).isTrue();
        assertThat(CommonChannels.of("alice", Set.of("team"), new UserMemberships(Map.of(), false), true).stale()).isTrue();
    }

    @Test
    void candidatesLeaveOutTheUserDuplicatesAndNullsInTheOrderAsked() {
        assertThat(CommonChannels.candidates("alice", java.util.Arrays.asList("bob", "alice", null, "carol", "bob")))
                .containsExactly("bob", "carol");
    }
}
