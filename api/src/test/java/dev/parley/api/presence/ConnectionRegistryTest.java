package dev.parley.api.presence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.avro.presence.GatewayHeartbeat;
import dev.parley.avro.presence.PresenceRecord;
import dev.parley.avro.presence.UserConnections;
import dev.parley.avro.presence.UserStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectionRegistryTest {

    private static final long T0 = 1_000_000;
    private final ConnectionRegistry registry = new ConnectionRegistry(Duration.ofSeconds(15), Duration.ofHours(1));

    private static PresenceRecord heartbeat(String gw, long incarnation, long at) {
        return new PresenceRecord(gw, incarnation, Instant.ofEpochMilli(at), new GatewayHeartbeat(3000, 0, 0));
    }

    private static PresenceRecord entry(String gw, long incarnation, long at, String user, int devices, UserStatus status) {
        return new PresenceRecord(gw, incarnation, Instant.ofEpochMilli(at), new UserConnections(user, devices, status, Instant.ofEpochMilli(at)));
    }

    private List<PresenceChange> beat(int partition, String gw, long incarnation, long at) {
        return registry.apply(partition, PresenceKeys.heartbeat(gw), heartbeat(gw, incarnation, at), at, at);
    }

    private List<PresenceChange> put(String gw, long incarnation, long at, String user, int devices, UserStatus status) {
        return registry.apply(0, PresenceKeys.entry(user, gw), entry(gw, incarnation, at, user, devices, status), at, at);
    }

    private List<PresenceChange> remove(String gw, long at, String user) {
        return registry.apply(0, PresenceKeys.entry(user, gw), null, at, at);
    }

    @Test
    void keysSeparateUserAndGatewayAndPutAUsersEntriesInOnePartition() {
        assertThat(PresenceKeys.parse(PresenceKeys.entry("alice", "gw-1"))).isEqualTo(new PresenceKeys.Key("alice", "gw-1"));
        assertThat(PresenceKeys.parse(PresenceKeys.heartbeat("gw-1")).isHeartbeat()).isTrue();
        assertThat(PresenceKeys.partitionOf("alice", 12)).isEqualTo(PresenceKeys.partitionOf("alice", 12)).isBetween(0, 11);
    }

    @Test
    void aUserIsOnlineOnEveryLiveGatewayThatHoldsADeviceAndAwayOnlyWhenAllAreAway() {
        beat(0, "gw-1", 1, T0);
        beat(0, "gw-2", 1, T0);
        List<PresenceChange> first = put("gw-1", 1, T0, "alice", 2, UserStatus.AWAY);
        assertThat(first).singleElement().satisfies(c -> {
            assertThat(c.before().status()).isEqualTo(PresenceStatus.OFFLINE);
            assertThat(c.after().status()).isEqualTo(PresenceStatus.AWAY);
        });
        List<PresenceChange> second = put("gw-2", 1, T0 + 10, "alice", 1, UserStatus.ONLINE);
        assertThat(second).singleElement().satisfies(c -> assertThat(c.statusChanged()).isTrue());

        UserPresence alice = registry.presenceOf("alice");
        assertThat(alice.status()).isEqualTo(PresenceStatus.ONLINE);
        assertThat(alice.devices()).isEqualTo(3);
        assertThat(alice.gateways()).isEqualTo(Map.of("gw-1", 2, "gw-2", 1));
        assertThat(alice.lastSeen()).isEqualTo(T0 + 10);
        assertThat(registry.presenceOf("bob")).isEqualTo(UserPresence.offline("bob", null));
    }

    @Test
    void theSameEntryAgainIsNoChangeAndTheLastTombstoneMakesTheUserOfflineSinceThen() {
        beat(0, "gw-1", 1, T0);
        put("gw-1", 1, T0, "alice", 1, UserStatus.ONLINE);
        assertThat(put("gw-1", 1, T0 + 5, "alice", 1, UserStatus.ONLINE)).isEmpty();

        List<PresenceChange> gone = remove("gw-1", T0 + 100, "alice");

        assertThat(gone).singleElement().satisfies(c -> assertThat(c.after()).isEqualTo(UserPresence.offline("alice", T0 + 100)));
        assertThat(registry.presenceOf("alice").lastSeen()).isEqualTo(T0 + 100);
        assertThat(remove("gw-1", T0 + 200, "alice")).as("a second tombstone changes nothing").isEmpty();
    }

    @Test
    void aGatewayNotHeardFromWithinTheTimeoutTakesItsUsersOfflineAndBringsThemBackWhenItIsHeardAgain() {
        beat(0, "gw-1", 1, T0);
        beat(0, "gw-2", 1, T0);
        put("gw-1", 1, T0, "alice", 1, UserStatus.ONLINE);
        put("gw-1", 1, T0, "bob", 1, UserStatus.ONLINE);
        put("gw-2", 1, T0, "bob", 1, UserStatus.ONLINE);
        beat(0, "gw-2", 1, T0 + 14_000);

        assertThat(registry.expire(T0 + 15_000)).as("within the bound").isEmpty();
        List<PresenceChange> expired = registry.expire(T0 + 15_001);

        assertThat(expired).hasSize(2);
        assertThat(registry.presenceOf("alice")).isEqualTo(UserPresence.offline("alice", T0));
        assertThat(registry.presenceOf("bob").gateways()).as("bob's other device keeps him online").isEqualTo(Map.of("gw-2", 1));
        assertThat(registry.gateways()).extracting(GatewayView::gateway, GatewayView::alive)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("gw-1", false), org.assertj.core.groups.Tuple.tuple("gw-2", true));

        List<PresenceChange> back = registry.apply(3, "gw-1", heartbeat("gw-1", 1, T0 + 16_000), T0 + 16_000, T0 + 16_000);
        assertThat(back).extracting(PresenceChange::user).containsExactlyInAnyOrder("alice", "bob");
        assertThat(registry.presenceOf("alice").status()).isEqualTo(PresenceStatus.ONLINE);
    }

    @Test
    void aRestartedGatewaySupersedesItsPreviousIncarnationAtOnceAndIgnoresItsLateRecords() {
        beat(0, "gw-1", 1, T0);
        put("gw-1", 1, T0, "alice", 1, UserStatus.ONLINE);
        put("gw-1", 1, T0, "bob", 1, UserStatus.ONLINE);

        List<PresenceChange> restarted = registry.apply(1, "gw-1", heartbeat("gw-1", 2, T0 + 500), T0 + 500, T0 + 500);
        assertThat(restarted).extracting(PresenceChange::user).containsExactlyInAnyOrder("alice", "bob");
        assertThat(registry.presenceOf("alice")).isEqualTo(UserPresence.offline("alice", T0 + 500));

        assertThat(put("gw-1", 1, T0 + 600, "carol", 1, UserStatus.ONLINE)).as("older incarnation").isEmpty();
        put("gw-1", 2, T0 + 700, "bob", 1, UserStatus.ONLINE);
        assertThat(registry.presenceOf("bob").gateways()).isEqualTo(Map.of("gw-1", 1));
        assertThat(registry.presenceOf("carol").status()).isEqualTo(PresenceStatus.OFFLINE);
    }

    @Test
    void aCleanStopInOnePartitionEndsTheIncarnationEverywhereAndAStartAfterItCounts() {
        beat(0, "gw-1", 1, T0);
        beat(1, "gw-1", 1, T0);
        registry.apply(1, PresenceKeys.entry("alice", "gw-1"), entry("gw-1", 1, T0, "alice", 1, UserStatus.ONLINE), T0, T0);

        List<PresenceChange> stopped = registry.apply(0, "gw-1", null, T0 + 50, T0 + 50);

        assertThat(stopped).singleElement().satisfies(c -> assertThat(c.after()).isEqualTo(UserPresence.offline("alice", T0 + 50)));
        assertThat(beat(1, "gw-1", 1, T0 + 10)).as("a heartbeat of the stopped incarnation read late from another partition").isEmpty();
        assertThat(registry.presenceOf("alice").status()).isEqualTo(PresenceStatus.OFFLINE);
        assertThat(registry.gateways()).singleElement().satisfies(g -> assertThat(g.stopped()).isTrue());

        beat(0, "gw-1", 2, T0 + 1000);
        put("gw-1", 2, T0 + 1000, "alice", 1, UserStatus.ONLINE);
        assertThat(registry.presenceOf("alice").status()).isEqualTo(PresenceStatus.ONLINE);
        assertThat(registry.apply(1, "gw-1", null, T0 + 1100, T0 + 1100))
                .as("the late tombstone of partition 1 stops incarnation 1, which is over anyway").isEmpty();
        assertThat(registry.presenceOf("alice").status()).isEqualTo(PresenceStatus.ONLINE);
    }

    @Test
    void recordsOfAGatewayThatDiedLongAgoNeverCountWhenReadFromTheBeginning() {
        long now = T0 + 3_600_000;
        registry.apply(0, "gw-dead", heartbeat("gw-dead", 1, T0), T0, now);
        List<PresenceChange> changes = registry.apply(0, PresenceKeys.entry("alice", "gw-dead"),
                entry("gw-dead", 1, T0, "alice", 1, UserStatus.ONLINE), T0, now);

        assertThat(changes).isEmpty();
        assertThat(registry.presenceOf("alice").status()).isEqualTo(PresenceStatus.OFFLINE);
    }

    @Test
    void offlineUsersAndDeadGatewaysAreForgottenAfterAWhile() {
        beat(0, "gw-1", 1, T0);
        put("gw-1", 1, T0, "alice", 1, UserStatus.ONLINE);
        remove("gw-1", T0 + 10, "alice");

        registry.expire(T0 + 3_600_011);

        assertThat(registry.presenceOf("alice")).isEqualTo(UserPresence.offline("alice", null));
        assertThat(registry.gateways()).isEmpty();
    }
}
