package dev.parley.gateway;

import static dev.parley.gateway.support.Requests.id;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.gateway.support.GatewayEnv;
import dev.parley.gateway.support.Requests;
import dev.parley.gateway.support.WsClient;
import dev.parley.testkit.KafkaTestCluster;
import dev.parley.testkit.SharedKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 12 end to end: bad input, abuse and overload against a real gateway, a real topology and a real broker;
 * every case checks the documented answer and that the gateway stays up for everyone else.
 */
@ExtendWith(SharedKafka.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HardeningIT {

    private GatewayEnv env;
    private GatewayServer g;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(KafkaTestCluster kafka) {
        env = new GatewayEnv(kafka, HardeningIT.class);
        g = env.gateway();
    }

    @AfterAll
    void stop() {
        env.close();
    }

    private JsonNode request(WsClient c, Map<String, Object> frame) {
        c.send(frame);
        return c.reply("requestId", (String) frame.get("requestId"));
    }

    private HttpResponse<String> post(String path, String user, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(g.httpUrl() + path))
                .header("Authorization", "Bearer " + env.token(user)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Idempotency-Key", key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Failed on main: REST accepted {"text":123} (201) and ignored a threadRoot of "abc"; a long title got through both. */
    @Test
    void restAndWebSocketAnswerTheSameBadInputWithTheSameInvalid() throws Exception {
        String ch = id("parity");
        WsClient owner = env.connect(g, "pat", "phone", null);
        assertThat(request(owner, Requests.create(ch, false, id("r"))).path("type").asText()).isEqualTo("ok");
        String longTitle = "t".repeat(100_000);
        List<String> badSends = List.of("{\"text\":123}", "{\"text\":\"x\",\"threadRoot\":\"abc\"}",
                "{\"text\":\"x\",\"threadRoot\":1.5}", "{\"text\":\"  \"}", "{\"text\":\"a\\ud800\"}");
        for (String body : badSends) {
            String key = id("bad");
            HttpResponse<String> rest = post("/api/v1/channels/" + ch + "/messages", "pat", key, body);
            assertThat(rest.statusCode()).as(body).isEqualTo(400);
            JsonNode restError = WsClient.JSON.readTree(rest.body());
            assertThat(restError.path("error").asText()).isEqualTo("invalid");

            // the same body as a frame, as raw text: a JSON escape of a lone surrogate must reach the server as is
            owner.sendRaw("{\"type\":\"send\",\"channel\":\"" + ch + "\",\"clientMsgId\":\"" + key + "\"," + body.substring(1));
            JsonNode wsError = owner.reply("clientMsgId", key);
            assertThat(wsError.path("code").asText()).as(body).isEqualTo("invalid");
            assertThat(wsError.path("message").asText()).isEqualTo(restError.path("message").asText());
        }
        HttpResponse<String> restTitle = post("/api/v1/channels", "pat", null,
                "{\"channel\":\"" + id("titled") + "\",\"title\":\"" + longTitle + "\"}");
        assertThat(restTitle.statusCode()).isEqualTo(400);
        assertThat(restTitle.body()).contains("invalid", "250").doesNotContain("max.request.size");
        String r = id("r");
        owner.send(Map.of("type", "create_channel", "channel", id("titled"), "title", longTitle, "requestId", r));
        assertThat(owner.reply("requestId", r).path("code").asText()).isEqualTo("invalid");
        // Nothing of it reached the log: the channel has only its creation.
        JsonNode page = WsClient.JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(g.httpUrl() + "/api/v1/channels/" + ch + "/events"))
                .header("Authorization", "Bearer " + env.token("pat")).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(page.path("head").asLong()).isEqualTo(1);
    }
}
