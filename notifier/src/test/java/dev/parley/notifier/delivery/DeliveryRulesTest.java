package dev.parley.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveryRulesTest {

    @Test
    void statusesAreDeliveredRetriedOrRefused() {
        assertThat(AttemptResult.ofStatus(200).verdict()).isEqualTo(AttemptResult.Verdict.DELIVERED);
        assertThat(AttemptResult.ofStatus(204).verdict()).isEqualTo(AttemptResult.Verdict.DELIVERED);
        assertThat(AttemptResult.ofStatus(500).verdict()).isEqualTo(AttemptResult.Verdict.RETRY);
        assertThat(AttemptResult.ofStatus(503).verdict()).isEqualTo(AttemptResult.Verdict.RETRY);
        assertThat(AttemptResult.ofStatus(429).verdict()).isEqualTo(AttemptResult.Verdict.RETRY);
        assertThat(AttemptResult.ofStatus(408).verdict()).isEqualTo(AttemptResult.Verdict.RETRY);
        assertThat(AttemptResult.ofStatus(400).verdict()).isEqualTo(AttemptResult.Verdict.REFUSED);
        assertThat(AttemptResult.ofStatus(410).verdict()).isEqualTo(AttemptResult.Verdict.REFUSED);
        assertThat(AttemptResult.failed("timeout").verdict()).isEqualTo(AttemptResult.Verdict.RETRY);
    }

    @Test
    void backoffGrowsExponentiallyWithinTheJitterAndStopsAtTheCap() {
        RetryPolicy exact = new RetryPolicy(5, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(5), 0);
        assertThat(List.of(1, 2, 3, 4).stream().map(exact::backoffAfter).toList())
                .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(5));
        RetryPolicy jittered = RetryPolicy.defaults();
        for (int i = 0; i < 200; i++) {
            assertThat(jittered.backoffAfter(3).toMillis()).isBetween(2000L, 6000L); // 4 s ± 50 %
        }
        assertThat(exact.exhausted(4)).isFalse();
        assertThat(exact.exhausted(5)).isTrue();
    }

    @Test
    void offsetsAdvanceOnlyPastARunOfCompletedRecords() {
        OffsetTracker<String, String> t = new OffsetTracker<>();
        t.started("p0", 10);
        t.started("p0", 11);
        t.started("p0", 13); // 12 was a transaction marker
        t.started("p1", 5);
        t.completed("p0", 11, List.of("dlq-11"));
        t.completed("p0", 13, List.of());
        t.completed("p1", 5, List.of());

        OffsetTracker.Committable<String, String> first = t.drain();
        assertThat(first.offsets()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of("p1", 6L));
        assertThat(first.leftovers()).isEmpty();
        assertThat(t.inFlight()).isEqualTo(1);

        t.completed("p0", 10, List.of("dlq-10"));
        OffsetTracker.Committable<String, String> second = t.drain();
        assertThat(second.offsets()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of("p0", 14L));
        assertThat(second.leftovers()).containsExactly("dlq-10", "dlq-11");
        assertThat(t.drain().isEmpty()).isTrue();

        t.started("p0", 20);
        t.forget(List.of("p0"));
        t.completed("p0", 20, List.of("late"));
        assertThat(t.drain().isEmpty()).as("a revoked partition's late completion is ignored").isTrue();
    }
}
