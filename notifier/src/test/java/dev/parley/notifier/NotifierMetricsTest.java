package dev.parley.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class NotifierMetricsTest {

    /**
     * Failed before the fix: the gauge's supplier was only weakly held and read NaN once collected, so
     * WebhookDeliveryIT's wait for {@code parley_notifier_circuit_open == 1} timed out in a fresh-clone CI run.
     */
    @Test
    void gaugesStillReadTheirValueAfterAGarbageCollection() {
        NotifierMetrics metrics = new NotifierMetrics("ntf-test");
        AtomicLong open = new AtomicLong(1);
        metrics.gauge("parley_notifier_circuit_open", "open", open::get, "endpoint", "test");
        for (int i = 0; i < 5; i++) {
            System.gc();
        }
        assertThat(value(metrics.scrape(), "parley_notifier_circuit_open")).isEqualTo(1.0);
        open.set(0);
        assertThat(value(metrics.scrape(), "parley_notifier_circuit_open")).isEqualTo(0.0);
    }

    private static double value(String scrape, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*} (\\S+)$").matcher(scrape);
        assertThat(m.find()).as(name + " in the scrape").isTrue();
        return Double.parseDouble(m.group(1));
    }
}
