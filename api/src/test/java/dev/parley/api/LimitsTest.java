package dev.parley.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LimitsTest {

    @Test
    void loneSurrogatesAreNotWellFormedButPairsAre() {
        assertThat(Limits.isWellFormed("k\ud800")).isFalse();
        assertThat(Limits.isWellFormed("k\udbff")).isFalse();
        assertThat(Limits.isWellFormed("\udc00k")).isFalse();
        assertThat(Limits.isWellFormed("a\ud800b")).isFalse();
        assertThat(Limits.isWellFormed("k\ud83d\ude00")).isTrue(); // 😀
        assertThat(Limits.isWellFormed("k?")).isTrue();
    }

    @Test
    void idsWithLoneSurrogatesAreRefusedSoTheyCannotCollideAfterUtf8Encoding() {
        assertThat(Limits.isValidToken("k\ud800")).isFalse();
        assertThat(Limits.isValidToken("k\udbff")).isFalse();
        assertThat(Limits.isValidToken("k?")).isTrue();
        assertThat(Limits.isValidEmoji("\ud83c")).isFalse();
        assertThat(Limits.isValidEmoji("\ud83c\udf89")).isTrue(); // 🎉
    }
}
