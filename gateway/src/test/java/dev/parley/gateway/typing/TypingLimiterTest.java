package dev.parley.gateway.typing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TypingLimiterTest {

    @Test
    void atMostOnePerChannelPerInterval() {
        TypingLimiter limiter = new TypingLimiter(Duration.ofSeconds(3));
        assertThat(limiter.allow("general", 0)).isTrue();
        assertThat(limiter.allow("general", 2999)).isFalse();
        assertThat(limiter.allow("random", 2999)).as("another channel").isTrue();
        assertThat(limiter.allow("general", 3000)).isTrue();
        assertThat(limiter.allow("general", 3001)).isFalse();
    }

    @Test
    void aMessageEndsTheBurstSoTheNextKeystrokeGoesOutAtOnce() {
        TypingLimiter limiter = new TypingLimiter(Duration.ofSeconds(3));
        assertThat(limiter.allow("general", 0)).isTrue();
        limiter.reset("general");
        assertThat(limiter.allow("general", 100)).isTrue();
        assertThat(limiter.allow("general", 200)).isFalse();
    }

    @Test
    void manyChannelsDoNotGrowWithoutBound() {
        TypingLimiter limiter = new TypingLimiter(Duration.ofSeconds(3));
        for (int i = 0; i < 1000; i++) {
            assertThat(limiter.allow("c" + i, i * 10_000L)).isTrue();
        }
        assertThat(limiter.allow("c999", 999 * 10_000L + 1)).isFalse();
    }
}
