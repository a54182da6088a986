package dev.parley.ops.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Ready when {@code GET url} answers 200 and its body contains {@code bodyContains} (e.g. the topology's
 * {@code /health} says {@code RUNNING}, not only {@code REBALANCING}).
 */
public record HttpReadiness(URI url, String bodyContains) implements ReadinessProbe {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Override
    public boolean isReady() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().contains(bodyContains);
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String describe() {
        return "GET " + url + " answers 200" + (bodyContains.isEmpty() ? "" : " with " + bodyContains);
    }
}
