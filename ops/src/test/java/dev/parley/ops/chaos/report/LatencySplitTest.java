package dev.parley.ops.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LatencySplitTest {

    private static final long MS = 1_000_000L;

    @Test
    void sendsAreSplitByWhenTheyWereDueNotWhenTheyWereAcked() {
        List<TimedSend> sends = List.of(
                new TimedSend(0, 10 * MS),            // before the fault: between
                new TimedSend(100 * MS, 5_000 * MS),  // due during the fault
                new TimedSend(150 * MS, 200 * MS),    // due during the fault
                new TimedSend(550 * MS, 570 * MS),    // between faults
                new TimedSend(2_000 * MS, 2_030 * MS),// after the last
                new TimedSend(2_100 * MS, -1));       // never acked: left out
        LatencySplit s = new LatencySplit(sends, List.of(new Window(100 * MS, 500 * MS), new Window(600 * MS, 800 * MS)), 800 * MS);
        assertThat(s.during().getTotalCount()).isEqualTo(2);
        assertThat(s.during().getMaxValue() / 1000).isBetween(4_895L, 4_905L);
        assertThat(s.between().getTotalCount()).isEqualTo(2);
        assertThat(s.after().getTotalCount()).isEqualTo(1);
        assertThat(LatencySplit.row("after the last fault", s.after())).contains("after the last fault").contains(" 30 ");
        assertThat(LatencySplit.row("x", new LatencySplit(List.of(), List.of(), 0).after())).contains("-");
    }
}
