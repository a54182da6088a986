package dev.parley.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WarmUpRuleTest {

    private final WarmUpRule rule = WarmUpRule.of(Duration.ofSeconds(20));

    @Test
    void neverEndsBeforeItsMinimum() {
        assertThat(rule.done(Duration.ofSeconds(19), 0.0)).isFalse();
        assertThat(rule.done(Duration.ofSeconds(20), 0.0)).isTrue();
    }

    @Test
    void goesOnWhileTheJitCompilersAreBusyUpToItsMaximum() {
        assertThat(rule.done(Duration.ofSeconds(25), 0.55)).isFalse();
        assertThat(rule.done(Duration.ofSeconds(90), 0.16)).isFalse();
        assertThat(rule.done(Duration.ofSeconds(90), 0.15)).isTrue();
        assertThat(rule.done(Duration.ofSeconds(180), 0.55)).isTrue();
    }

    @Test
    void aMinimumLongerThanTheMaximumWins() {
        WarmUpRule long_ = WarmUpRule.of(Duration.ofSeconds(300));
        assertThat(long_.done(Duration.ofSeconds(200), 0.9)).isFalse();
        assertThat(long_.done(Duration.ofSeconds(300), 0.9)).isTrue();
    }

    @Test
    void jitIsSummedOverTheProcesses() {
        List<ProcessStats.Delta> w = List.of(new ProcessStats.Delta("kafka", 0.5, 0, 0, 0, 0, 0.18),
                new ProcessStats.Delta("topology", 0.5, 0, 0, 0, 0, 0.21), new ProcessStats.Delta("gateway", 0.4, 0, 0, 0, 0, 0.16));
        assertThat(WarmUpRule.jitCores(w)).isCloseTo(0.55, org.assertj.core.api.Assertions.within(1e-9));
    }
}
