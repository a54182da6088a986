package dev.parley.gateway.presence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.presence.PresenceStatus;
import dev.parley.gateway.presence.LocalPresence.Put;
import dev.parley.gateway.presence.LocalPresence.Remove;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LocalPresenceTest {

    private final LocalPresence local = new LocalPresence(Duration.ofMinutes(10), Duration.ofSeconds(5));

    @Test
    void anEntryIsWrittenWhenTheDeviceCountChangesNotForEveryConnection() {
        assertThat(local.connected("c1", "alice", "phone", 1000)).containsExactly(new Put("alice", 1, PresenceStatus.ONLINE, 1000));
        assertThat(local.connected("c2", "alice", "phone", 1100)).as("a second tab of the same device").isEmpty();
        assertThat(local.connected("c3", "alice", "laptop", 1200)).containsExactly(new Put("alice", 2, PresenceStatus.ONLINE, 1200));
        assertThat(local.disconnected("c3", 1300)).containsExactly(new Put("alice", 1, PresenceStatus.ONLINE, 1100));
        assertThat(local.users()).isEqualTo(1);
        assertThat(local.connections()).isEqualTo(2);
    }

    @Test
    void theLastDeviceLeavingIsRemovedOnlyAfterTheGraceAndAReconnectWithinItWritesNothing() {
        local.connected("c1", "alice", "phone", 1000);
        assertThat(local.disconnected("c1", 2000)).isEmpty();
        assertThat(local.tick(6999)).isEmpty();
        assertThat(local.connected("c2", "alice", "phone", 6999)).as("back within the grace: the entry is unchanged").isEmpty();
        assertThat(local.tick(20_000)).isEmpty();

        local.disconnected("c2", 21_000);
        assertThat(local.tick(26_000)).containsExactly(new Remove("alice"));
        assertThat(local.tick(27_000)).isEmpty();
        assertThat(local.users()).isZero();
    }

    @Test
    void aUserIsAwayWhenEveryDeviceIsIdleOrSetAwayAndBackOnActivity() {
        local.connected("c1", "alice", "phone", 0);
        local.connected("c2", "alice", "laptop", 0);
        assertThat(local.setAway("c1", true, 1000)).isEmpty();
        assertThat(local.tick(599_999)).isEmpty();
        assertThat(local.tick(600_000)).containsExactly(new Put("alice", 2, PresenceStatus.AWAY, 0));

        local.activity("c1", 700_000);
        assertThat(local.tick(700_500)).as("activity does not end a status set away").isEmpty();
        local.activity("c2", 800_000);
        assertThat(local.tick(800_500)).containsExactly(new Put("alice", 2, PresenceStatus.ONLINE, 800_000));
        assertThat(local.setAway("c2", true, 800_600)).containsExactly(new Put("alice", 2, PresenceStatus.AWAY, 800_000));
        assertThat(local.setAway("c1", false, 800_700)).containsExactly(new Put("alice", 2, PresenceStatus.ONLINE, 800_700));
    }

    @Test
    void aFailedWriteIsRetriedWithTheCurrentStateAndACleanStopRemovesEveryEntryAtOnce() {
        local.connected("c1", "alice", "phone", 1000);
        local.connected("c2", "bob", "phone", 1000);
        assertThat(local.retry("alice", 1500)).containsExactly(new Put("alice", 1, PresenceStatus.ONLINE, 1000));
        assertThat(local.retry("carol", 1500)).as("gone meanwhile: remove again").containsExactly(new Remove("carol"));
        local.disconnected("c2", 2000);

        assertThat(local.stop()).containsExactlyInAnyOrder(new Remove("alice"), new Remove("bob"));
        assertThat(local.connections()).isZero();
    }
}
