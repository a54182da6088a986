package dev.parley.ops.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class UnavailabilityTest {

    private static final long S = 1_000_000_000L;

    @Test
    void theLongestSilenceIsTheLongestGapBetweenAcksThatTouchesTheFault() {
        // acks at 1, 2, 3 s, then nothing until 12 s, then 13 s; a fault from 3.5 s to 8 s
        List<TimedSend> sends = List.of(new TimedSend(0, S), new TimedSend(S, 2 * S), new TimedSend(2 * S, 3 * S),
                new TimedSend(4 * S, 12 * S), new TimedSend(12 * S, 13 * S));
        Unavailability u = new Unavailability(sends, 20 * S);
        assertThat(u.longestSilenceNanos(new Window(3 * S + S / 2, 8 * S))).isEqualTo(9 * S);
        assertThat(u.worstWaitNanos(new Window(3 * S + S / 2, 8 * S))).isEqualTo(8 * S); // the send due at 4 s
        // a fault that the acks did not notice
        assertThat(u.longestSilenceNanos(new Window(S, 2 * S))).isEqualTo(S);
    }

    @Test
    void silenceRunsToTheEndOfTheLoadWhenNoAckFollows() {
        List<TimedSend> sends = List.of(new TimedSend(0, S), new TimedSend(2 * S, -1));
        Unavailability u = new Unavailability(sends, 10 * S);
        assertThat(u.longestSilenceNanos(new Window(2 * S, 3 * S))).isEqualTo(9 * S);
        assertThat(u.worstWaitNanos(new Window(2 * S, 3 * S))).isEqualTo(8 * S);
    }

    @Test
    void aFaultBeforeTheFirstAckIsSilentFromItsStart() {
        Unavailability u = new Unavailability(List.of(new TimedSend(0, 5 * S)), 10 * S);
        assertThat(u.longestSilenceNanos(new Window(S, 2 * S))).isEqualTo(4 * S);
    }
}
