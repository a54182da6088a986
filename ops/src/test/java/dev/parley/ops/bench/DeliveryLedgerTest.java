package dev.parley.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeliveryLedgerTest {

    @Test
    void everyAckedSeqDeliveredOnceInOrderIsClean() {
        DeliveryLedger l = new DeliveryLedger();
        for (long seq = 1; seq <= 5; seq++) {
            l.acked("c", seq);
        }
        DeliveryLedger.Stream a = l.stream("alice", "c", 0);
        DeliveryLedger.Stream b = l.stream("bob", "c", 0);
        for (long seq = 1; seq <= 5; seq++) {
            assertThat(a.received(seq)).isTrue();
            b.received(seq);
        }
        DeliveryLedger.Totals t = l.totals();
        assertThat(t).isEqualTo(new DeliveryLedger.Totals(2, 5, 10, 0, 0, 0));
        assertThat(t.clean()).isTrue();
    }

    @Test
    void countsLostDuplicatedAndOutOfOrderDeliveries() {
        DeliveryLedger l = new DeliveryLedger();
        for (long seq = 1; seq <= 6; seq++) {
            l.acked("c", seq);
        }
        DeliveryLedger.Stream s = l.stream("alice", "c", 0);
        s.received(1);
        s.received(3);
        assertThat(s.received(2)).isFalse(); // after 3: out of order
        assertThat(s.received(3)).isFalse(); // again: duplicate
        s.received(5);
        // 4 and 6 never arrive
        DeliveryLedger.Totals t = l.totals();
        assertThat(t.delivered()).isEqualTo(4);
        assertThat(t.lost()).isEqualTo(2);
        assertThat(t.duplicates()).isEqualTo(1);
        assertThat(t.outOfOrder()).isEqualTo(1);
        assertThat(t.clean()).isFalse();
    }

    @Test
    void aStreamExpectsOnlyWhatWasAckedAfterItsStart() {
        DeliveryLedger l = new DeliveryLedger();
        for (long seq = 1; seq <= 10; seq++) {
            l.acked("c", seq);
        }
        DeliveryLedger.Stream late = l.stream("carol", "c", 7);
        late.received(8);
        late.received(9);
        late.received(10);
        assertThat(l.totals().lost()).isZero();
        assertThat(late.hasAll(7, 10)).isTrue();
        assertThat(late.hasAll(6, 10)).isFalse();
    }

    @Test
    void channelsAreAccountedSeparately() {
        DeliveryLedger l = new DeliveryLedger();
        l.acked("a", 1);
        l.acked("b", 1);
        l.acked("b", 2);
        l.stream("u", "a", 0).received(1);
        l.stream("u", "b", 0).received(2);
        assertThat(l.totals().lost()).isEqualTo(1);
    }
}
