package dev.parley.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.gateway.routing.RouterWatch.Transition;
import org.junit.jupiter.api.Test;

class RouterWatchTest {

    private final RouterWatch watch = new RouterWatch(10_000);

    @Test
    void aRouteAnsweredInTimeIsNeverOverdue() {
        watch.asked("c1", 0);
        assertThat(watch.waiting()).isEqualTo(1);
        assertThat(watch.check(9_999).overdue()).isZero();
        watch.answered("c1");
        assertThat(watch.waiting()).isZero();
        RouterWatch.Check later = watch.check(60_000);
        assertThat(later.overdue()).isZero();
        assertThat(later.transition()).isEqualTo(Transition.NONE);
    }

    @Test
    void anUnansweredRouteBecomesOverdueOnceThenAnsweredAgain() {
        watch.asked("c1", 0);
        watch.asked("c2", 4_000);
        RouterWatch.Check first = watch.check(10_000);
        assertThat(first.overdue()).isEqualTo(1);
        assertThat(first.example()).isEqualTo("c1");
        assertThat(first.waitedMillis()).isEqualTo(10_000);
        assertThat(first.transition()).isEqualTo(Transition.BECAME_OVERDUE);

        RouterWatch.Check second = watch.check(15_000);
        assertThat(second.overdue()).isEqualTo(2);
        assertThat(second.example()).isEqualTo("c1");
        assertThat(second.transition()).as("said once per episode").isEqualTo(Transition.NONE);

        watch.answered("c1");
        watch.dropped("c2");
        RouterWatch.Check back = watch.check(16_000);
        assertThat(back.overdue()).isZero();
        assertThat(back.transition()).isEqualTo(Transition.ANSWERED_AGAIN);
        assertThat(watch.check(17_000).transition()).isEqualTo(Transition.NONE);
    }

    @Test
    void askingAgainBeforeTheAnswerKeepsTheFirstAskingTime() {
        watch.asked("c1", 0);
        watch.asked("c1", 8_000);
        assertThat(watch.check(10_000).overdue()).isEqualTo(1);
    }

    @Test
    void anAnswerToARouteNeverAskedForChangesNothing() {
        watch.answered("other");
        watch.asked("c1", 0);
        assertThat(watch.check(10_000).overdue()).isEqualTo(1);
    }

    @Test
    void patienceMustBePositive() {
        assertThatThrownBy(() -> new RouterWatch(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
