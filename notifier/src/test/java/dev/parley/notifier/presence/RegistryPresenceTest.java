package dev.parley.notifier.presence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.presence.PresenceStatus;
import dev.parley.api.presence.UserPresence;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryPresenceTest {

    static final long NOW = 1_000_000;
    static final long GRACE = 5_000;

    @Test
    void aDeviceOnAnyGatewayOnlineOrAwayIsOnline() {
        assertThat(RegistryPresence.of(new UserPresence("bob", PresenceStatus.ONLINE, 1, Map.of("gw-2", 1), NOW - 10), NOW, GRACE))
                .isEqualTo(new Presence(true, NOW));
        assertThat(RegistryPresence.of(new UserPresence("bob", PresenceStatus.AWAY, 2, Map.of("gw-1", 1, "gw-2", 1), NOW - 10), NOW, GRACE))
                .isEqualTo(new Presence(true, NOW));
    }

    @Test
    void anOfflineUserWasLastOnlineTheGraceBeforeTheRegistrysLastSeen() {
        assertThat(RegistryPresence.of(UserPresence.offline("bob", NOW - 60_000L), NOW, GRACE))
                .isEqualTo(new Presence(false, NOW - 65_000));
        assertThat(RegistryPresence.of(UserPresence.offline("bob", 1_000L), NOW, GRACE)).isEqualTo(new Presence(false, 0));
    }

    @Test
    void aUserTheRegistryNeverSawWasNeverSeen() {
        assertThat(RegistryPresence.of(UserPresence.offline("bob", null), NOW, GRACE)).isEqualTo(Presence.NEVER_SEEN);
    }
}
