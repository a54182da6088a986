package dev.parley.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RoutedFanOutWorkloadTest {

    @Test
    void aCounterIsSummedOverItsTagsAndNoOtherSeriesCounts() {
        String scrape = """
                # HELP parley_gateway_log_events_decoded_total committed events this gateway decoded
                # TYPE parley_gateway_log_events_decoded_total counter
                parley_gateway_log_events_decoded_total{gateway="gw-1",tail="log"} 1200.0
                parley_gateway_log_events_decoded_total{gateway="gw-1",tail="user"} 3.0
                parley_gateway_log_events_decoded_total_other 99.0
                parley_gateway_deliveries_skipped_total{gateway="gw-1"} 5000.0
                """;
        assertThat(RoutedFanOutWorkload.counterValue(scrape, RoutedFanOutWorkload.DECODED)).isEqualTo(1203.0);
        assertThat(RoutedFanOutWorkload.counterValue(scrape, RoutedFanOutWorkload.ROUTED_READ.get(1))).isEqualTo(5000.0);
        assertThat(RoutedFanOutWorkload.counterValue(scrape, "parley_missing_total")).isZero();
    }
}
