package dev.parley.gateway.presence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.presence.PresenceStatus;
import dev.parley.gateway.presence.PresenceDebounce.HoldUntil;
import dev.parley.gateway.presence.PresenceDebounce.Nothing;
import dev.parley.gateway.presence.PresenceDebounce.Publish;
import dev.parley.gateway.presence.PresenceDebounce.View;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PresenceDebounceTest {

    private static final View ONLINE = new View(PresenceStatus.ONLINE, 100L);
    private static final View AWAY = new View(PresenceStatus.AWAY, 200L);
    private static final View OFFLINE = new View(PresenceStatus.OFFLINE, 300L);

    private final PresenceDebounce debounce = new PresenceDebounce(Duration.ofSeconds(2));

    @Test
    void onlyTrackedUsersArePublishedAndAwayGoesOutAtOnce() {
        assertThat(debounce.changed("bob", AWAY, 0)).isInstanceOf(Nothing.class);
        assertThat(debounce.track("bob", ONLINE)).isEqualTo(ONLINE);
        assertThat(debounce.track("bob", AWAY)).as("already tracked: what observers were told").isEqualTo(ONLINE);

        assertThat(debounce.changed("bob", AWAY, 0)).isEqualTo(new Publish(AWAY));
        assertThat(debounce.changed("bob", AWAY, 10)).as("no change").isInstanceOf(Nothing.class);
    }

    @Test
    void anOfflineIsHeldAndDroppedWhenTheUserIsBackInTime() {
        debounce.track("bob", ONLINE);
        assertThat(debounce.changed("bob", OFFLINE, 1000)).isEqualTo(new HoldUntil(3000));
        assertThat(debounce.changed("bob", ONLINE, 1500)).as("back with the status observers know").isInstanceOf(Nothing.class);
        assertThat(debounce.due("bob", 3000)).isInstanceOf(Nothing.class);
    }

    @Test
    void anOfflineThatLastsIsPublishedWhenTheHoldRunsOut() {
        debounce.track("bob", ONLINE);
        debounce.changed("bob", OFFLINE, 1000);
        assertThat(debounce.due("bob", 2999)).isEqualTo(new HoldUntil(3000));
        assertThat(debounce.due("bob", 3000)).isEqualTo(new Publish(OFFLINE));
        assertThat(debounce.changed("bob", OFFLINE, 4000)).isInstanceOf(Nothing.class);
        assertThat(debounce.changed("bob", ONLINE, 5000)).isEqualTo(new Publish(ONLINE));
    }

    @Test
    void backAwayAfterOnlineIsPublishedAtOnceAndCancelsTheHold() {
        debounce.track("bob", ONLINE);
        debounce.changed("bob", OFFLINE, 1000);
        assertThat(debounce.changed("bob", AWAY, 1500)).isEqualTo(new Publish(AWAY));
        assertThat(debounce.due("bob", 3000)).isInstanceOf(Nothing.class);
        debounce.forget("bob");
        assertThat(debounce.isTracked("bob")).isFalse();
    }
}
