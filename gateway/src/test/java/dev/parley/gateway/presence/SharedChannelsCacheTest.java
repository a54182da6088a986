package dev.parley.gateway.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SharedChannelsCacheTest {

    private final SharedChannelsCache cache = new SharedChannelsCache(Duration.ofSeconds(10), 100);

    @Test
    void sharedPairsAreKeptForBothSidesAndStrangersAreAlwaysAskedAgain() {
        long t = cache.ticket();
        cache.remember("alice", Map.of("bob", Set.of("team")), t, 0);

        SharedChannelsCache.Lookup l = cache.lookup("alice", List.of("bob", "mallory", "alice", "bob"), 1);
        assertThat(l.known()).isEqualTo(Map.of("bob", Set.of("team")));
        assertThat(l.unknown()).containsExactly("mallory");
        assertThat(cache.lookup("bob", List.of("alice"), 1).known()).as("one entry per pair")
                .isEqualTo(Map.of("alice", Set.of("team")));
    }

    @Test
    void entriesExpireAfterTheTtl() {
        cache.remember("alice", Map.of("bob", Set.of("team")), cache.ticket(), 0);

        assertThat(cache.lookup("alice", List.of("bob"), 9_999).unknown()).isEmpty();
        assertThat(cache.lookup("alice", List.of("bob"), 10_000).unknown()).containsExactly("bob");
        assertThat(cache.size()).isZero();
    }

    @Test
    void aMembershipChangeOfEitherUserForgetsThePair() {
        cache.remember("alice", Map.of("bob", Set.of("team"), "carol", Set.of("team")), cache.ticket(), 0);

        cache.membershipChanged("bob", 1);

        SharedChannelsCache.Lookup l = cache.lookup("alice", List.of("bob", "carol"), 2);
        assertThat(l.unknown()).containsExactly("bob");
        assertThat(l.known()).containsOnlyKeys("carol");
        cache.membershipChanged("alice", 3);
        assertThat(cache.lookup("carol", List.of("alice"), 4).unknown()).containsExactly("alice");
    }

    @Test
    void anAnswerFetchedBeforeAChangeIsNotKept() {
        long ticket = cache.ticket();
        cache.membershipChanged("bob", 1); // bob left a channel while the topology was being asked

        cache.remember("alice", Map.of("bob", Set.of("team"), "carol", Set.of("team")), ticket, 2);

        SharedChannelsCache.Lookup l = cache.lookup("alice", List.of("bob", "carol"), 3);
        assertThat(l.unknown()).containsExactly("bob");
        assertThat(l.known()).containsOnlyKeys("carol");
        // A fresh answer after the change is kept again.
        cache.remember("alice", Map.of("bob", Set.of("ops")), cache.ticket(), 4);
        assertThat(cache.lookup("alice", List.of("bob"), 5).known()).isEqualTo(Map.of("bob", Set.of("ops")));
    }

    @Test
    void theCacheHoldsAtMostItsBoundOfPairs() {
        SharedChannelsCache small = new SharedChannelsCache(Duration.ofSeconds(10), 2);
        long t = small.ticket();
        small.remember("a", Map.of("b", Set.of("x"), "c", Set.of("x"), "d", Set.of("x")), t, 0);
        assertThat(small.size()).isEqualTo(2);
    }
}
