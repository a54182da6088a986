package dev.parley.ops.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.ops.cli.CliRun;
import dev.parley.ops.net.Ports;
import dev.parley.schemas.topics.TopicNames;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default composition of {@code parley start}, in-process on ephemeral ports in a temp dir. */
class LocalStackTest {

    @TempDir
    Path dataDir;

    @Test
    void startProvisionsTopicsAnswersTopicsVerifyAndReleasesPortsOnCloseThenRestartsOnTheSameData() {
        RunnerSettings settings = RunnerSettings.ephemeral(dataDir);
        TopicNames names = TopicNames.defaults();
        int kafkaPort;
        int controllerPort;

        try (LocalStack stack = new LocalStack(settings, LocalStack.defaultComponents(settings)).start()) {
            assertThat(stack.components()).extracting(LocalComponent::name)
                    .containsExactly("kafka", "topics", "registry", "topology", "gateway", "notifier");
            KafkaBrokerComponent kafka = (KafkaBrokerComponent) stack.components().get(0);
            kafkaPort = kafka.broker().clientPort();
            controllerPort = kafka.broker().controllerPort();
            String bootstrap = stack.context().bootstrapServers();
            assertThat(bootstrap).isEqualTo("127.0.0.1:" + kafkaPort);

            TopicsComponent topics = (TopicsComponent) stack.components().get(1);
            assertThat(topics.report().created()).containsExactlyInAnyOrderElementsOf(names.all());
            assertThat(topics.report().warnings()).isEmpty();
            try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
                Map<String, TopicDescription> described = admin.describeTopics(names.all()).allTopicNames().get();
                assertThat(described.get(names.commands()).partitions()).hasSize(12);
                assertThat(described.get(names.log()).partitions()).hasSize(12);
                assertThat(described.get(names.schemas()).partitions()).hasSize(1);
            } catch (Exception e) {
                throw new AssertionError(e);
            }

            assertThat(stack.summary()).extracting(LocalComponent.SummaryLine::label)
                    .contains("Kafka bootstrap servers", "Topics", "Data dir");
            assertThat(stack.summary()).anySatisfy(l -> assertThat(l.value()).isEqualTo(bootstrap));

            CliRun verify = cli("topics", "verify", "--bootstrap-servers", bootstrap);
            assertThat(verify.code()).as(verify.err()).isZero();
            assertThat(verify.out()).contains("cluster:    " + bootstrap, names.log(), names.commands(),
                    "partitions: 12", "warnings:   none", "OK");

            // The whole system answers: a dev token, a channel and a message through the gateway's REST API.
            URI gateway = ((GatewayComponent) stack.components().get(4)).server().httpUrl();
            token = json(post(gateway.resolve("/api/dev/token"), null, null, "{\"user\":\"newcomer\"}")).path("token").asText();
            // A stack that has just started may shed its first commands (503 overloaded + Retry-After) while the
            // topology's first transactions start; a client sends again with the same key, as the SDKs do.
            HttpResponse<String> created = postUntilServed(gateway.resolve("/api/v1/channels"), token, "c1", "{\"channel\":\"hello\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            HttpResponse<String> sent = postUntilServed(gateway.resolve("/api/v1/channels/hello/messages"), token, "m1", "{\"text\":\"kept across restarts\"}");
            assertThat(sent.statusCode()).as(sent.body()).isEqualTo(201);
            assertThat(json(sent).path("seq").asLong()).isEqualTo(2);
        }

        assertThat(Ports.isFree("127.0.0.1", kafkaPort)).isTrue();
        assertThat(Ports.isFree("127.0.0.1", controllerPort)).isTrue();

        try (LocalStack again = new LocalStack(settings, LocalStack.defaultComponents(settings)).start()) {
            TopicsComponent topics = (TopicsComponent) again.components().get(1);
            assertThat(topics.report().created()).isEmpty();
            assertThat(topics.report().existing()).containsExactlyInAnyOrderElementsOf(names.all());
            assertThat(((KafkaBrokerComponent) again.components().get(0)).broker().formattedNow()).isFalse();
            URI gateway = ((GatewayComponent) again.components().get(4)).server().httpUrl();
            JsonNode history = json(get(gateway.resolve("/api/v1/channels/hello/events?after=0"), token));
            assertThat(history.path("events")).hasSize(2);
            assertThat(history.path("events").get(1).path("text").asText()).isEqualTo("kept across restarts");
        }
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private String token;

    private static HttpResponse<String> post(URI uri, String token, String key, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (key != null) {
            b.header("Idempotency-Key", key);
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** POSTs again with the same idempotency key while the answer is 503 (overloaded or unavailable). */
    private static HttpResponse<String> postUntilServed(URI uri, String token, String key, String body) {
        AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    last.set(post(uri, token, key, body));
                    return last.get().statusCode() != 503;
                });
        return last.get();
    }

    private static HttpResponse<String> get(URI uri, String token) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode json(HttpResponse<String> r) {
        try {
            return new ObjectMapper().readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError(r.body(), e);
        }
    }

    private static CliRun cli(String... args) {
        return CliRun.of(args);
    }
}
