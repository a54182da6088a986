package dev.parley.topology.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The router's rules for one channel, without Kafka: routes added, refreshed, restarted, removed, expired; fan-out. */
class RouteTableTest {

    private static final long NOW = 1_000_000;
    private static final long LEASE = 60_000;

    @Test
    void aNewRouteStartsAtTheChannelsHead() {
        RouteTable table = RouteTable.EMPTY.event(7, false).table();
        RouteTable.RouteDecision d = table.route("gw-1", 100, NOW, LEASE, NOW);
        assertThat(d.outcome()).isEqualTo(RouteOutcome.ADDED);
        assertThat(d.started()).isTrue();
        assertThat(d.table().lastSeq()).isEqualTo(7);
        assertThat(d.table().routes()).containsExactly(Map.entry("gw-1", new RouteTable.Lease(100, NOW + LEASE)));
    }

    @Test
    void aRefreshOnlyMovesTheExpiry() {
        RouteTable table = RouteTable.EMPTY.route("gw-1", 100, NOW, LEASE, NOW).table();
        RouteTable.RouteDecision d = table.route("gw-1", 100, NOW + 20_000, LEASE, NOW + 20_000);
        assertThat(d.outcome()).isEqualTo(RouteOutcome.REFRESHED);
        assertThat(d.started()).isFalse();
        assertThat(d.table().routes()).containsExactly(Map.entry("gw-1", new RouteTable.Lease(100, NOW + 20_000 + LEASE)));
        // A duplicate read earlier than the last refresh (a replay) never shortens the lease.
        assertThat(d.table().route("gw-1", 100, NOW, LEASE, NOW).table().routes().get("gw-1").expiresAt()).isEqualTo(NOW + 20_000 + LEASE);
    }

    @Test
    void aNewIncarnationStartsAgainAndAnOlderOneIsIgnored() {
        RouteTable table = RouteTable.EMPTY.event(3, false).table().route("gw-1", 100, NOW, LEASE, NOW).table().event(4, false).table();
        RouteTable.RouteDecision restarted = table.route("gw-1", 200, NOW, LEASE, NOW);
        assertThat(restarted.outcome()).isEqualTo(RouteOutcome.NEW_INCARNATION);
        assertThat(restarted.started()).isTrue();
        assertThat(restarted.table().routes().get("gw-1").incarnation()).isEqualTo(200);
        assertThat(restarted.table().lastSeq()).isEqualTo(4);

        RouteTable.RouteDecision zombie = restarted.table().route("gw-1", 100, NOW + 1, LEASE, NOW + 1);
        assertThat(zombie.outcome()).isEqualTo(RouteOutcome.STALE);
        assertThat(zombie.started()).isFalse();
        assertThat(zombie.table()).isSameAs(restarted.table());
    }

    @Test
    void aLeftoverOfADeadGatewayIsNotAdded() {
        // Written more than a lease before it could still hold (by the gateway's clock): a compacted leftover.
        RouteTable.RouteDecision d = RouteTable.EMPTY.route("gw-dead", 100, NOW - 2 * LEASE - 1, LEASE, NOW);
        assertThat(d.outcome()).isEqualTo(RouteOutcome.STALE);
        assertThat(d.table().routes()).isEmpty();
        // A gateway clock that lags by less than a lease is still fine.
        assertThat(RouteTable.EMPTY.route("gw-late", 100, NOW - LEASE - 30_000, LEASE, NOW).outcome()).isEqualTo(RouteOutcome.ADDED);
    }

    @Test
    void aTombstoneRemovesTheRouteWhateverItsIncarnation() {
        RouteTable table = RouteTable.EMPTY.route("gw-1", 100, NOW, LEASE, NOW).table().route("gw-2", 5, NOW, LEASE, NOW).table();
        RouteTable.RouteDecision d = table.remove("gw-1");
        assertThat(d.outcome()).isEqualTo(RouteOutcome.REMOVED);
        assertThat(d.table().routes()).containsOnlyKeys("gw-2");
        assertThat(d.table().remove("gw-1").outcome()).isEqualTo(RouteOutcome.ABSENT);
    }

    @Test
    void aTombstoneThenALateRefreshStartsTheRouteAgain() {
        RouteTable table = RouteTable.EMPTY.event(9, false).table().route("gw-1", 100, NOW, LEASE, NOW).table();
        RouteTable removed = table.remove("gw-1").table();
        assertThat(removed.event(10, false).gateways()).isEmpty();
        RouteTable.RouteDecision again = removed.event(10, false).table().route("gw-1", 100, NOW + 1, LEASE, NOW + 1);
        assertThat(again.outcome()).isEqualTo(RouteOutcome.ADDED);
        assertThat(again.started()).as("the gateway learns the head it missed in between").isTrue();
        assertThat(again.table().lastSeq()).isEqualTo(10);
    }

    @Test
    void aPlainEventGoesToEachGatewayAndAMembershipChangeToEveryGatewayOnce() {
        RouteTable table = RouteTable.EMPTY.route("gw-b", 1, NOW, LEASE, NOW).table().route("gw-a", 1, NOW, LEASE, NOW).table();
        RouteTable.Fanout plain = table.event(1, false);
        assertThat(plain.everyGateway()).isFalse();
        assertThat(plain.gateways()).containsExactly("gw-a", "gw-b");
        assertThat(plain.table().lastSeq()).isEqualTo(1);

        RouteTable.Fanout joined = plain.table().event(2, true);
        assertThat(joined.everyGateway()).isTrue();
        assertThat(joined.gateways()).isEmpty();
        assertThat(joined.table().lastSeq()).isEqualTo(2);

        // Nobody follows: nothing to copy, but the head still moves.
        RouteTable.Fanout alone = RouteTable.EMPTY.event(3, false);
        assertThat(alone.gateways()).isEmpty();
        assertThat(alone.table().lastSeq()).isEqualTo(3);
    }

    @Test
    void aDuplicateEventIsCopiedAgainAndLeavesTheHead() {
        RouteTable table = RouteTable.EMPTY.route("gw-1", 1, NOW, LEASE, NOW).table().event(5, false).table();
        RouteTable.Fanout dup = table.event(4, false);
        assertThat(dup.table()).isSameAs(table);
        assertThat(dup.gateways()).containsExactly("gw-1");
    }

    @Test
    void expiredRoutesAreDroppedAndTheRestKept() {
        RouteTable table = RouteTable.EMPTY.event(2, false).table()
                .route("gw-1", 1, NOW, LEASE, NOW).table()
                .route("gw-2", 1, NOW + 10, LEASE, NOW + 10).table();
        assertThat(table.expire(NOW + LEASE - 1).expired()).isEmpty();
        RouteTable.Expiry e = table.expire(NOW + LEASE);
        assertThat(e.expired()).containsExactly("gw-1");
        assertThat(e.table().routes()).containsOnlyKeys("gw-2");
        assertThat(e.table().lastSeq()).isEqualTo(2);
    }

    @Test
    void theStoreSerdeRoundTrips() {
        RouteTableSerde serde = new RouteTableSerde();
        RouteTable table = RouteTable.EMPTY.event(42, false).table()
                .route("gw-1", 100, NOW, LEASE, NOW).table().route("gw-2", 7, NOW, LEASE, NOW + 5).table();
        assertThat(serde.fromBytes(serde.toBytes(table))).isEqualTo(table);
        assertThat(serde.fromBytes(serde.toBytes(RouteTable.EMPTY))).isEqualTo(RouteTable.EMPTY);
        assertThat(serde.fromBytes(null)).isNull();
    }

    // ---- properties: any order of route records, tombstones and events, duplicates included -------------------

    sealed interface Op permits RouteOp, Tombstone, EventOp {
    }

    record RouteOp(String gateway, long incarnation) implements Op {
    }

    record Tombstone(String gateway) implements Op {
    }

    record EventOp(long seq, boolean membership) implements Op {
    }

    /**
     * Against a model that is just "the newest incarnation written since the last tombstone": the table holds
     * exactly those gateways; a marker starts a route exactly when a gateway appears or moves to a newer
     * incarnation, with the head of every event read so far; a plain event goes to exactly the gateways held, a
     * membership change once to every gateway; the head is the highest seq read.
     */
    @Property(tries = 2000)
    void theTableFollowsTheNewestRecordOfEachGateway(@ForAll("ops") @Size(max = 40) List<Op> ops) {
        RouteTable table = RouteTable.EMPTY;
        Map<String, Long> model = new TreeMap<>();
        long maxSeq = 0;
        for (Op op : ops) {
            if (op instanceof RouteOp r) {
                    Long held = model.get(r.gateway());
                    RouteTable.RouteDecision d = table.route(r.gateway(), r.incarnation(), NOW, LEASE, NOW);
                    boolean starts = held == null || r.incarnation() > held;
                    assertThat(d.started()).as("%s over %s", r, held).isEqualTo(starts);
                    if (held == null || r.incarnation() >= held) {
                        model.put(r.gateway(), r.incarnation());
                    }
                    if (d.started()) {
                        assertThat(d.table().lastSeq()).as("the marker's head").isEqualTo(maxSeq);
                    }
                    table = d.table();
            } else if (op instanceof Tombstone t) {
                    RouteTable.RouteDecision d = table.remove(t.gateway());
                    assertThat(d.outcome()).isEqualTo(model.remove(t.gateway()) == null ? RouteOutcome.ABSENT : RouteOutcome.REMOVED);
                    table = d.table();
            } else if (op instanceof EventOp e) {
                    RouteTable.Fanout f = table.event(e.seq(), e.membership());
                    maxSeq = Math.max(maxSeq, e.seq());
                    if (e.membership()) {
                        assertThat(f.everyGateway()).isTrue();
                        assertThat(f.gateways()).isEmpty();
                    } else {
                        assertThat(f.everyGateway()).isFalse();
                        assertThat(f.gateways()).containsExactlyElementsOf(model.keySet());
                    }
                    table = f.table();
            }
            Map<String, Long> held = new HashMap<>();
            table.routes().forEach((g, lease) -> held.put(g, lease.incarnation()));
            assertThat(held).isEqualTo(model);
            assertThat(table.lastSeq()).isEqualTo(maxSeq);
        }
    }

    /** A refresh and a tombstone of one gateway racing in any order: the last one read wins, and a refresh after a tombstone starts the route again. */
    @Property(tries = 500)
    void aTombstoneRacingRefreshesLeavesWhatWasReadLast(@ForAll("tombstoneOrRefresh") List<Boolean> refreshes) {
        RouteTable table = RouteTable.EMPTY.route("gw-1", 100, NOW, LEASE, NOW).table();
        for (boolean refresh : refreshes) {
            boolean had = table.routes().containsKey("gw-1");
            if (refresh) {
                RouteTable.RouteDecision d = table.route("gw-1", 100, NOW, LEASE, NOW);
                assertThat(d.started()).isEqualTo(!had);
                table = d.table();
            } else {
                table = table.remove("gw-1").table();
            }
        }
        boolean lastWasRefresh = refreshes.isEmpty() || refreshes.get(refreshes.size() - 1);
        assertThat(table.routes().containsKey("gw-1")).isEqualTo(lastWasRefresh);
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<String> gateways = Arbitraries.of("gw-1", "gw-2", "gw-3");
        Arbitrary<Op> route = Combinators.combine(gateways, Arbitraries.longs().between(1, 4)).as(RouteOp::new);
        Arbitrary<Op> tombstone = gateways.map(Tombstone::new);
        // Seqs repeat and go backwards: duplicates after a router restart.
        Arbitrary<Op> event = Combinators.combine(Arbitraries.longs().between(1, 12), Arbitraries.of(false, false, false, true)).as(EventOp::new);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, route), net.jqwik.api.Tuple.of(1, tombstone), net.jqwik.api.Tuple.of(4, event)).list();
    }

    @Provide
    Arbitrary<List<Boolean>> tombstoneOrRefresh() {
        return Arbitraries.of(true, false).list().ofMaxSize(12);
    }
}
