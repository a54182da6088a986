package dev.parley.schemas.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoopbackTest {

    @Test
    void onlyLoopbackAddressesAndNamesKeepAPortOnThisMachine() {
        assertThat(Loopback.isLoopback("127.0.0.1")).isTrue();
        assertThat(Loopback.isLoopback("127.1.2.3")).isTrue();
        assertThat(Loopback.isLoopback("::1")).isTrue();
        assertThat(Loopback.isLoopback("[::1]")).isTrue();
        assertThat(Loopback.isLoopback("localhost")).isTrue();

        assertThat(Loopback.isLoopback("0.0.0.0")).isFalse();
        assertThat(Loopback.isLoopback("::")).isFalse();
        assertThat(Loopback.isLoopback("10.1.2.3")).isFalse();
        assertThat(Loopback.isLoopback("")).isFalse();
        assertThat(Loopback.isLoopback(null)).isFalse();
        assertThat(Loopback.isLoopback("no-such-host.invalid")).isFalse();
    }
}
