package dev.parley.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.gateway.routing.RouteWrite.Put;
import dev.parley.gateway.routing.RouteWrite.Remove;
import dev.parley.schemas.config.Env;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules of a gateway's routes, with time driven by hand: refresh every 20 s, linger 30 s. */
class RouteKeeperTest {

    private final RouteKeeper keeper = new RouteKeeper(20_000, 30_000);

    @Test
    void theFirstFollowerWritesTheRouteAndFurtherNewsOfFollowingWriteNothing() {
        assertThat(keeper.followed("c", 0)).containsExactly(new Put("c"));
        assertThat(keeper.followed("c", 10)).isEmpty();
        assertThat(keeper.due(19_999)).isEmpty();
        assertThat(keeper.routes()).isEqualTo(1);
    }

    @Test
    void everyHeldRouteIsWrittenAgainEachRefreshFromItsOwnLastWrite() {
        keeper.followed("a", 0);
        keeper.followed("b", 5_000);
        assertThat(keeper.due(20_000)).containsExactly(new Put("a"));
        assertThat(keeper.due(25_000)).containsExactly(new Put("b"));
        assertThat(keeper.due(39_999)).isEmpty();
        assertThat(keeper.due(45_000)).containsExactlyInAnyOrder(new Put("a"), new Put("b"));
    }

    @Test
    void theLastFollowerGoneRemovesTheRouteAfterTheLingerStillRefreshingItMeanwhile() {
        keeper.followed("c", 0);
        assertThat(keeper.unfollowed("c", 1_000)).isEmpty();
        assertThat(keeper.lingering()).isEqualTo(1);
        assertThat(keeper.due(20_000)).as("a lingering route is still held").containsExactly(new Put("c"));
        assertThat(keeper.due(30_999)).isEmpty();
        assertThat(keeper.due(31_000)).containsExactly(new Remove("c"));
        assertThat(keeper.routes()).isZero();
        assertThat(keeper.due(100_000)).isEmpty();
        assertThat(keeper.followed("c", 100_001)).as("followed again: a new route").containsExactly(new Put("c"));
    }

    @Test
    void aFollowerBackWithinTheLingerKeepsTheRouteWithoutAWrite() {
        keeper.followed("c", 0);
        keeper.unfollowed("c", 1_000);
        assertThat(keeper.followed("c", 15_000)).isEmpty();
        assertThat(keeper.lingering()).isZero();
        assertThat(keeper.due(31_000)).as("its refresh, no removal").containsExactly(new Put("c"));
        assertThat(keeper.due(45_000)).isEmpty();
        keeper.unfollowed("c", 50_000);
        assertThat(keeper.unfollowed("c", 60_000)).as("told twice: the first linger counts").isEmpty();
        assertThat(keeper.due(80_000)).containsExactly(new Remove("c"));
    }

    @Test
    void withNoLingerTheRouteGoesWithItsLastFollower() {
        RouteKeeper now = new RouteKeeper(20_000, 0);
        now.followed("c", 0);
        assertThat(now.unfollowed("c", 5)).containsExactly(new Remove("c"));
        assertThat(now.unfollowed("c", 6)).isEmpty();
        assertThat(now.routes()).isZero();
    }

    @Test
    void aFailedWriteIsRetriedAtTheNextTickAndARemovedRouteIsNot() {
        keeper.followed("c", 0);
        keeper.followed("d", 0);
        keeper.putFailed("c");
        assertThat(keeper.due(1)).containsExactly(new Put("c"));
        assertThat(keeper.due(2)).isEmpty();
        keeper.putFailed("gone");
        assertThat(keeper.due(3)).isEmpty();
    }

    @Test
    void aCleanStopRemovesEveryRouteLingeringOnesIncluded() {
        keeper.followed("a", 0);
        keeper.followed("b", 0);
        keeper.unfollowed("b", 10);
        assertThat(keeper.stop()).containsExactlyInAnyOrder(new Remove("a"), new Remove("b"));
        assertThat(keeper.routes()).isZero();
        assertThat(keeper.due(1_000_000)).isEmpty();
    }

    @Test
    void theSettingsDefaultToTailWithA60sLeaseRefreshedEvery20sAndA30sLinger() {
        FanoutConfig d = FanoutConfig.defaults();
        assertThat(d.routed()).isFalse();
        assertThat(d.lease()).isEqualTo(Duration.ofSeconds(60));
        assertThat(d.refresh()).isEqualTo(Duration.ofSeconds(20));
        assertThat(d.linger()).isEqualTo(Duration.ofSeconds(30));
        FanoutConfig routed = FanoutConfig.fromEnv(Env.of(Map.of("PARLEY_FANOUT", "Routed", "PARLEY_ROUTE_LEASE", "9s",
                "PARLEY_ROUTE_LINGER", "0s")));
        assertThat(routed.mode()).isEqualTo(FanoutConfig.Mode.ROUTED);
        assertThat(routed.refresh()).isEqualTo(Duration.ofSeconds(3));
        assertThat(routed.linger()).isZero();
        assertThatThrownBy(() -> FanoutConfig.fromEnv(Env.of(Map.of("PARLEY_FANOUT", "multicast"))))
                .hasMessageContaining("PARLEY_FANOUT must be tail or routed");
        assertThatThrownBy(() -> FanoutConfig.fromEnv(Env.of(Map.of("PARLEY_ROUTE_LEASE", "1s"))))
                .hasMessageContaining("PARLEY_ROUTE_LEASE");
        assertThatThrownBy(() -> FanoutConfig.fromEnv(Env.of(Map.of("PARLEY_ROUTE_LINGER", "-1s"))))
                .hasMessageContaining("PARLEY_ROUTE_LINGER");
    }
}
