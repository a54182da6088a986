package dev.parley.gateway.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The rule of when a channel's events go out to batched connections, with the time passed by hand. */
class BatchWindowTest {

    private final BatchWindow window = new BatchWindow(25);

    @Test
    void anEventOfAQuietChannelGoesWithTheCurrentReadOfTheLog() {
        assertThat(window.ready()).isEqualTo(BatchWindow.When.NOW);
        assertThat(window.ready()).as("a second event of the same read, before anything went out").isEqualTo(BatchWindow.When.NOW);
        assertThat(window.isOpen()).isFalse();
    }

    @Test
    void eventsInsideTheWindowWaitForItsEndAndThenGoTogether() {
        window.ready();
        assertThat(window.sent(1_000)).isEqualTo(1_025);
        assertThat(window.ready()).isEqualTo(BatchWindow.When.AT_WINDOW_END);
        assertThat(window.ready()).isEqualTo(BatchWindow.When.AT_WINDOW_END);
        assertThat(window.ended(1_024)).as("woken up early: nothing yet").isFalse();
        assertThat(window.isOpen()).isTrue();
        assertThat(window.ended(1_025)).as("the end with events waiting: send them").isTrue();
        assertThat(window.sent(1_026)).as("and a new window opens").isEqualTo(1_051);
        assertThat(window.ready()).isEqualTo(BatchWindow.When.AT_WINDOW_END);
    }

    @Test
    void aWindowThatEndsWithNothingWaitingClosesAndTheNextEventGoesAtOnce() {
        window.ready();
        window.sent(1_000);
        assertThat(window.ended(1_025)).isFalse();
        assertThat(window.isOpen()).isFalse();
        assertThat(window.ready()).isEqualTo(BatchWindow.When.NOW);
    }

    @Test
    void aSendInsideTheWindowPushesItsEndBack() {
        window.ready();
        window.sent(1_000);
        window.ready();
        window.sent(1_010); // e.g. a membership event sent what waited
        assertThat(window.ended(1_025)).isFalse();
        assertThat(window.isOpen()).as("the window now ends at 1,035").isTrue();
        assertThat(window.endsAt()).isEqualTo(1_035);
        assertThat(window.ended(1_035)).isFalse();
        assertThat(window.isOpen()).isFalse();
    }

    @Test
    void aZeroWindowBatchesOnlyTheEventsOfOneRead() {
        BatchWindow none = new BatchWindow(0);
        none.ready();
        none.sent(1_000);
        assertThat(none.isOpen()).isFalse();
        assertThat(none.ready()).isEqualTo(BatchWindow.When.NOW);
        assertThatThrownBy(() -> new BatchWindow(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
