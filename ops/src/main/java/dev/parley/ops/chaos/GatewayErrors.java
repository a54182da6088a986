package dev.parley.ops.chaos;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The error codes the gateways answered with, from their {@code /metrics} ({@code parley_gateway_errors_total}), summed:
 * shows whether the load was shed or rate limited, and how many sends timed out. Counters restart with a gateway.
 */
final class GatewayErrors {

    private static final Pattern LINE = Pattern.compile("^parley_gateway_errors_total\\{code=\"([^\"]+)\"[^}]*}\\s+([0-9.Ee+]+)$");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private GatewayErrors() {
    }

    static Map<String, Long> scrape(List<URI> gateways) {
        Map<String, Long> codes = new TreeMap<>();
        for (URI g : gateways) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(g.resolve("/metrics")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                parse(r.body(), codes);
            } catch (Exception e) {
                codes.merge("(scrape failed: " + g + ")", 1L, Long::sum);
            }
        }
        return codes;
    }

    static void parse(String metrics, Map<String, Long> into) {
        for (String line : metrics.split("\n")) {
            Matcher m = LINE.matcher(line.trim());
            if (m.matches()) {
                into.merge(m.group(1), (long) Double.parseDouble(m.group(2)), Long::sum);
            }
        }
    }
}
