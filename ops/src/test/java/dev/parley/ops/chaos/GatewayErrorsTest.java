package dev.parley.ops.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class GatewayErrorsTest {

    @Test
    void sumsTheErrorCountersOfEveryGatewayByCode() {
        Map<String, Long> codes = new TreeMap<>();
        GatewayErrors.parse("""
                # TYPE parley_gateway_errors_total counter
                parley_gateway_errors_total{code="overloaded"} 12.0
                parley_gateway_errors_total{code="timeout"} 3.0
                parley_gateway_commands_total{type="send"} 900.0
                """, codes);
        GatewayErrors.parse("parley_gateway_errors_total{code=\"overloaded\"} 1.0\n", codes);
        assertThat(codes).containsExactly(Map.entry("overloaded", 13L), Map.entry("timeout", 3L));
    }
}
