package dev.parley.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class GatewayMetricsTest {

    /** Failed on main: the gauge's supplier was only weakly held, and read NaN once collected. */
    @Test
    void gaugesStillReadTheirValueAfterAGarbageCollection() {
        GatewayMetrics metrics = new GatewayMetrics("gw-test");
        AtomicLong lag = new AtomicLong(42);
        metrics.gauge("parley_gateway_log_lag", "lag", lag::get);
        for (int i = 0; i < 5; i++) {
            System.gc();
        }
        assertThat(value(metrics.scrape(), "parley_gateway_log_lag")).isEqualTo(42.0);
        lag.set(7);
        assertThat(value(metrics.scrape(), "parley_gateway_log_lag")).isEqualTo(7.0);
    }

    @Test
    void aFunctionCounterIsExposedAsATotalAndReadsItsRunningCount() {
        GatewayMetrics metrics = new GatewayMetrics("gw-test");
        AtomicLong decoded = new AtomicLong(1200);
        metrics.counter("parley_gateway_log_events_decoded", "decoded", decoded::get);
        System.gc();
        assertThat(value(metrics.scrape(), "parley_gateway_log_events_decoded_total")).isEqualTo(1200.0);
        decoded.addAndGet(34);
        assertThat(value(metrics.scrape(), "parley_gateway_log_events_decoded_total")).isEqualTo(1234.0);
    }

    static double value(String scrape, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*} (\\S+)$").matcher(scrape);
        assertThat(m.find()).as(name + " in the scrape").isTrue();
        return Double.parseDouble(m.group(1));
    }
}
