package dev.parley.gateway.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WatchListTest {

    private final WatchList list = new WatchList("alice");

    @Test
    void aWatcherSeesItselfAndUsersItSharesAChannelWithAndNobodyElse() {
        WatchList.Update u = list.replace(List.of("bob", "mallory", "alice", "carol"),
                Map.of("bob", Set.of("team"), "carol", Set.of("dm-1", "team")));

        assertThat(u.shown()).containsExactlyInAnyOrder("bob", "alice", "carol");
        assertThat(list.visibleInOrder()).containsExactly("bob", "alice", "carol");
        assertThat(list.notVisibleInOrder()).containsExactly("mallory");
        assertThat(PresenceVisibility.visible("alice", "mallory", Set.of())).isFalse();
        assertThat(PresenceVisibility.visible("alice", "alice", Set.of())).isTrue();
    }

    @Test
    void replacingTheListReportsWhoIsNoLongerWatched() {
        list.replace(List.of("bob", "carol"), Map.of("bob", Set.of("team"), "carol", Set.of("team")));
        WatchList.Update u = list.replace(List.of("carol", "dave"), Map.of("carol", Set.of("team"), "dave", Set.of("team")));
        assertThat(u.shown()).containsExactly("dave");
        assertThat(u.hidden()).containsExactly("bob");
    }

    @Test
    void leavingTheLastSharedChannelHidesAtOnceWhicheverSideLeft() {
        list.replace(List.of("bob", "carol", "alice"), Map.of("bob", Set.of("team", "ops"), "carol", Set.of("team")));

        assertThat(list.left("alice", "team").hidden()).as("alice left: carol shared only team").containsExactly("carol");
        assertThat(list.isVisible("bob")).isTrue();
        assertThat(list.left("bob", "ops").hidden()).containsExactly("bob");
        assertThat(list.left("alice", "other").hidden()).isEmpty();
        assertThat(list.visibleInOrder()).containsExactly("alice");
    }

    @Test
    void joinsAskForARecheckOfTheHiddenOnesOnly() {
        list.replace(List.of("bob", "mallory", "carol"), Map.of("bob", Set.of("team")));

        assertThat(list.joined("alice")).containsExactly("mallory", "carol");
        assertThat(list.joined("mallory")).containsExactly("mallory");
        assertThat(list.joined("bob")).as("already visible").isEmpty();
        assertThat(list.joined("zed")).as("not watched").isEmpty();

        WatchList.Update u = list.recheck(List.of("mallory", "carol"), Map.of("carol", Set.of("new")));
        assertThat(u.shown()).containsExactly("carol");
        assertThat(list.notVisibleInOrder()).containsExactly("mallory");
    }
}
