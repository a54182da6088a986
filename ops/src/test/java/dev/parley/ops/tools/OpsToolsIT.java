package dev.parley.ops.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.avro.Actor;
import dev.parley.avro.Visibility;
import dev.parley.avro.event.ChannelCreated;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.event.EventKind;
import dev.parley.avro.event.MessagePosted;
import dev.parley.ops.cli.CliRun;
import dev.parley.ops.runner.GatewayComponent;
import dev.parley.ops.runner.LocalStack;
import dev.parley.ops.runner.RunnerSettings;
import dev.parley.schemas.serde.ParleyAvroSerde;
import dev.parley.schemas.serde.SerdeConfig;
import dev.parley.schemas.topics.TopicNames;
import dev.parley.schemas.topics.TopicProvisioner;
import dev.parley.schemas.topics.TopicSettings;
import dev.parley.testkit.RawWsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's view of a running stack ({@code parley start}'s composition, ephemeral ports): the
 * metrics both services expose move under real traffic, and the CLI's {@code token}, {@code tail} and
 * {@code replay-check} work against it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpsToolsIT {

    private static final String CHANNEL = "ops-room";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private LocalStack stack;
    private URI gateway;
    private URI topology;
    private String bootstrap;
    private String registry;
    private final List<String> texts = new ArrayList<>();

    @BeforeAll
    void start(@TempDir Path dir) {
        RunnerSettings settings = RunnerSettings.ephemeral(dir.resolve("data"));
        stack = new LocalStack(settings, LocalStack.defaultComponents(settings)).start();
        gateway = stack.components().stream().filter(GatewayComponent.class::isInstance)
                .map(c -> ((GatewayComponent) c).server().httpUrl()).findFirst().orElseThrow();
        topology = URI.create(stack.context().topologyUrl().orElseThrow());
        bootstrap = stack.context().bootstrapServers();
        registry = stack.context().registryUrl().orElseThrow();
    }

    @AfterAll
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void everyListedSeriesExistsOnBothServicesAndMovesUnderTraffic() {
        Scrape g0 = Scrape.of(gateway.resolve("/metrics"));
        Scrape t0 = Scrape.of(topology.resolve("/metrics"));
        for (String name : List.of("parley_gateway_connections", "parley_gateway_sends_total", "parley_gateway_acks_total",
                "parley_gateway_send_ack_latency_seconds_bucket", "parley_gateway_frames_sent_total",
                "parley_gateway_resyncs_total", "parley_gateway_catchup_pages_total", "parley_gateway_log_lag",
                "parley_gateway_pending_commands")) {
            assertThat(g0.has(name)).as("gateway series %s before traffic", name).isTrue();
        }

        String token = devToken("olga");
        URI ws = URI.create("ws://" + gateway.getHost() + ":" + gateway.getPort() + "/ws");
        try (RawWsClient c = RawWsClient.connect(ws)) {
            assertThat(c.hello(token, "laptop", null).path("user").asText()).isEqualTo("olga");
            await().until(() -> Scrape.of(gateway.resolve("/metrics")).sum("parley_gateway_connections") == 1.0);
            c.send(Map.of("type", "create_channel", "channel", CHANNEL, "requestId", "r1"));
            assertThat(c.reply("requestId", "r1").path("type").asText()).isEqualTo("ok");
            for (int i = 1; i <= 5; i++) {
                String text = "metric me " + i;
                texts.add(text);
                String id = "m" + i;
                c.send(Map.of("type", "send", "channel", CHANNEL, "clientMsgId", id, "text", text));
                JsonNode reply = c.reply("clientMsgId", id);
                assertThat(reply.path("type").asText()).as(reply.toString()).isEqualTo("ack");
                assertThat(reply.path("seq").asLong()).isEqualTo(1 + i);
            }
            c.sendRaw("this is not JSON");
            assertThat(c.awaitType("error", null, null).path("code").asText()).isEqualTo("bad_frame");
            c.send(Map.of("type", "events", "channel", CHANNEL, "after", 0, "limit", 100, "requestId", "h1"));
            assertThat(c.awaitType("events", "requestId", "h1").path("events")).hasSize(6);
            c.send(Map.of("type", "history", "channel", CHANNEL, "limit", 100, "requestId", "h2"));
            assertThat(c.awaitType("history", "requestId", "h2").path("messages")).hasSize(5);
        }
        // While nobody is connected, three more through REST; then a device resumes from seq 2 and catches up.
        for (int i = 6; i <= 8; i++) {
            String text = "metric me " + i;
            texts.add(text);
            HttpResponse<String> r = post("/api/v1/channels/" + CHANNEL + "/messages", token, "rest-" + i,
                    "{\"text\":\"" + text + "\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        }
        try (RawWsClient c = RawWsClient.connect(ws)) {
            assertThat(c.hello(token, "phone", Map.of(CHANNEL, 2L)).path("type").asText()).isEqualTo("welcome");
            assertThat(c.awaitType("caught_up", "channel", CHANNEL).path("seq").asLong()).isEqualTo(9);
            assertThat(c.seqs(CHANNEL)).containsExactly(3L, 4L, 5L, 6L, 7L, 8L, 9L);
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Scrape g = Scrape.of(gateway.resolve("/metrics"));
            assertThat(g.sum("parley_gateway_sends_total") - g0.sum("parley_gateway_sends_total")).isEqualTo(8.0);
            assertThat(g.sum("parley_gateway_acks_total") - g0.sum("parley_gateway_acks_total")).isEqualTo(8.0);
            assertThat(g.sum("parley_gateway_send_ack_latency_seconds_count")
                    - g0.sum("parley_gateway_send_ack_latency_seconds_count")).isEqualTo(8.0);
            assertThat(g.sum("parley_gateway_send_ack_latency_seconds_bucket", "le=\"+Inf\"")).isGreaterThanOrEqualTo(8.0);
            assertThat(g.sum("parley_gateway_frames_sent_total") - g0.sum("parley_gateway_frames_sent_total"))
                    .as("welcome x2, ok, 5 acks, error, history, 7 replayed events, caught_up").isGreaterThanOrEqualTo(18.0);
            assertThat(g.sum("parley_gateway_catchup_pages_total") - Math.max(0, g0.sum("parley_gateway_catchup_pages_total")))
                    .isGreaterThanOrEqualTo(1.0);
            assertThat(g.sum("parley_gateway_catchup_events_total")).isGreaterThanOrEqualTo(7.0);
            assertThat(g.sum("parley_gateway_query_latency_seconds_count", "query=\"events\"", "outcome=\"ok\""))
                    .as("history and catch-up pages").isGreaterThanOrEqualTo(2.0);
            assertThat(g.sum("parley_gateway_query_latency_seconds_count", "query=\"user_channels\"")).isGreaterThanOrEqualTo(2.0);
            assertThat(g.sum("parley_gateway_errors_total", "code=\"bad_frame\"")).isEqualTo(1.0);
            assertThat(g.sum("parley_gateway_commands_total", "type=\"create_channel\"")).isEqualTo(1.0);
            assertThat(g.sum("parley_gateway_connections")).isEqualTo(0.0);
            assertThat(g.sum("parley_gateway_log_lag")).isGreaterThanOrEqualTo(0.0);

            Scrape t = Scrape.of(topology.resolve("/metrics"));
            assertThat(t.sum("parley_topology_query_latency_seconds_count", "query=\"events\"", "outcome=\"ok\""))
                    .isGreaterThanOrEqualTo(2.0);
            assertThat(t.sum("parley_topology_query_latency_seconds_bucket", "query=\"user_channels\"", "le=\"+Inf\""))
                    .isGreaterThanOrEqualTo(2.0);
            // Kafka Streams' own metrics through Micrometer's binder: the stream thread processed the 9 commands.
            assertThat(t.names("kafka_stream_")).isNotEmpty();
            assertThat(t.sum("kafka_stream_thread_process_total") - Math.max(0, t0.sum("kafka_stream_thread_process_total")))
                    .isGreaterThanOrEqualTo(9.0);
            assertThat(t.names("kafka_consumer_")).as("the Streams consumers' fetch/lag metrics").isNotEmpty();
        });
    }

    @Test
    @Order(2)
    void everySeriesTheGrafanaDashboardQueriesIsServed() throws Exception {
        JsonNode dashboard = RawWsClient.JSON.readTree(java.nio.file.Files.readString(Path.of("grafana", "parley-dashboard.json")));
        java.util.Set<String> used = new java.util.TreeSet<>();
        var name = java.util.regex.Pattern.compile("\\b((?:parley|kafka|jvm)_[a-z0-9_]+)");
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                var m = name.matcher(target.path("expr").asText());
                while (m.find()) {
                    used.add(m.group(1));
                }
            }
        }
        assertThat(used).hasSizeGreaterThan(15);
        // Task-level Streams metrics appear with the binder's next refresh (every 15 s) after the assignment.
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            java.util.Set<String> served = new java.util.TreeSet<>(Scrape.of(gateway.resolve("/metrics")).names(""));
            served.addAll(Scrape.of(topology.resolve("/metrics")).names(""));
            assertThat(served).containsAll(used);
        });
    }

    @Test
    @Order(3)
    void tokenPrintsATokenTheGatewayAccepts() throws Exception {
        CliRun r = cli("token", "tokenuser", "--ttl", "5m");
        assertThat(r.code()).as(r.err()).isZero();
        String token = r.out().trim();
        assertThat(token.split("\\.")).hasSize(3);
        assertThat(r.err()).contains("token for tokenuser", "dev secret");
        HttpResponse<String> mine = HTTP.send(HttpRequest.newBuilder(gateway.resolve("/api/v1/channels"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(mine.statusCode()).isEqualTo(200);
        assertThat(RawWsClient.JSON.readTree(mine.body()).path("user").asText()).isEqualTo("tokenuser");
    }

    @Test
    @Order(4)
    void tailPrintsTheChannelsCommittedLogDecodedInSeqOrder() throws Exception {
        CliRun r = cli("tail", CHANNEL, "--bootstrap-servers", bootstrap, "--schema-registry-url", registry);
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(9);
        assertThat(lines.get(0)).matches("\\s+1 .* olga\\s+channel_created\\s+public");
        List<String> printed = lines.subList(1, 9).stream().map(l -> l.substring(l.indexOf("message") + "message".length()).trim()).toList();
        assertThat(printed).isEqualTo(texts);

        CliRun json = cli("tail", CHANNEL, "--after", "7", "--json", "--bootstrap-servers", bootstrap, "--schema-registry-url", registry);
        assertThat(json.code()).as(json.err()).isZero();
        List<JsonNode> events = new ArrayList<>();
        for (String l : json.out().lines().toList()) {
            events.add(RawWsClient.JSON.readTree(l));
        }
        assertThat(events).extracting(e -> e.path("seq").asLong()).containsExactly(8L, 9L);
        assertThat(events).extracting(e -> e.path("text").asText()).containsExactly("metric me 7", "metric me 8");

        CliRun none = cli("tail", "no-such-channel", "--bootstrap-servers", bootstrap, "--schema-registry-url", registry);
        assertThat(none.code()).isZero();
        assertThat(none.out()).isEmpty();
        assertThat(none.err()).contains("no events of 'no-such-channel'");
    }

    @Test
    @Order(5)
    void replayCheckPassesOnTheRealLog() {
        CliRun r = cli("replay-check", "--bootstrap-servers", bootstrap, "--schema-registry-url", registry);
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("channels:   1", "records:    9 events (0 undecodable)", "max seq:    9",
                "violations: none", "OK");
    }

    @Test
    @Order(6)
    void replayCheckFindsGapsRepeatsAndMisplacedKeys() throws Exception {
        // A log of its own (another topic prefix) with known faults, written the way the topology writes.
        TopicNames broken = new TopicNames("broken.");
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
            new TopicProvisioner(admin, broken, TopicSettings.of(3, (short) 1)).provision();
        }
        var serde = ParleyAvroSerde.forValue(ChannelEvent.class, SerdeConfig.forUrl(registry));
        try (KafkaProducer<String, ChannelEvent> p = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap),
                new StringSerializer(), serde.serializer())) {
            p.send(new ProducerRecord<>(broken.log(), "a", event("a", 1, "e1", EventKind.CHANNEL_CREATED, ChannelCreated.newBuilder().setVisibility(Visibility.PUBLIC).build())));
            p.send(new ProducerRecord<>(broken.log(), "a", event("a", 2, "e2", EventKind.MESSAGE, MessagePosted.newBuilder().setText("ok").build())));
            p.send(new ProducerRecord<>(broken.log(), "a", event("a", 4, "e4", EventKind.MESSAGE, MessagePosted.newBuilder().setText("gap").build())));
            p.send(new ProducerRecord<>(broken.log(), "a", event("a", 4, "e4b", EventKind.MESSAGE, MessagePosted.newBuilder().setText("again").build())));
            p.send(new ProducerRecord<>(broken.log(), "a", event("b", 1, "e1", EventKind.CHANNEL_CREATED, ChannelCreated.newBuilder().setVisibility(Visibility.PUBLIC).build())));
            p.flush();
        }
        CliRun r = cli("replay-check", "--topic-prefix", "broken.", "--bootstrap-servers", bootstrap, "--schema-registry-url", registry);
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(3);
        assertThat(r.out()).contains("violations: 4", "FAILED",
                "channel 'a' jumps from seq 2 to 4 (gap of 1)",
                "channel 'a' repeats or goes back to seq 4 after 4",
                "key 'a' is not the event's channel 'b'",
                "event id e1 appears twice");
    }

    @Test
    @Order(7)
    void tailEscapesControlCharactersOfTheText() throws Exception {
        // Clears the screen, sets the window title, erases the line with CR, reverses the rest: sent as a message.
        String hostile = "before\u001B[2J\u001B]0;owned\u0007\u0000\rhidden\u202Ereversed";
        String token = devToken("mallory");
        assertThat(post("/api/v1/channels", token, null, "{\"channel\":\"ctrl-room\"}").statusCode()).isBetween(200, 201);
        HttpResponse<String> sent = post("/api/v1/channels/ctrl-room/messages", token, "ctrl-1",
                RawWsClient.JSON.writeValueAsString(Map.of("text", hostile)));
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(201);

        CliRun r = cli("tail", "ctrl-room", "--bootstrap-servers", bootstrap, "--schema-registry-url", registry);
        CliRun json = cli("tail", "ctrl-room", "--json", "--bootstrap-servers", bootstrap, "--schema-registry-url", registry);

        assertThat(r.code()).as(r.err()).isZero();
        String message = r.out().lines().filter(l -> l.contains("message")).findFirst().orElseThrow();
        assertThat(message).endsWith("before\\u001B[2J\\u001B]0;owned\\u0007\\u0000\\rhidden\\u202Ereversed");
        assertThat(r.out().chars().filter(c -> c != '\n' && (Character.getType(c) == Character.CONTROL || c == 0x202E)))
                .as("nothing but line ends reaches the terminal raw").isEmpty();
        assertThat(json.code()).as(json.err()).isZero();
        assertThat(json.out().chars().filter(c -> c != '\n' && (Character.getType(c) == Character.CONTROL || c == 0x202E))).isEmpty();
        JsonNode event = RawWsClient.JSON.readTree(json.out().lines().filter(l -> l.contains("\"message\"")).findFirst().orElseThrow());
        assertThat(event.path("text").asText()).as("--json still carries the exact text").isEqualTo(hostile);
    }

    private static ChannelEvent event(String channel, long seq, String id, EventKind kind, Object payload) {
        return ChannelEvent.newBuilder().setChannel(channel).setSeq(seq).setEventId(id).setKind(kind)
                .setMessageId(kind == EventKind.MESSAGE ? "msg-" + id : null)
                .setActor(Actor.newBuilder().setUser("x").setDevice("test").build()).setTimestamp(Instant.ofEpochMilli(1_700_000_000_000L))
                .setPayload(payload).build();
    }

    private String devToken(String user) {
        HttpResponse<String> r = post("/api/dev/token", null, null, "{\"user\":\"" + user + "\"}");
        try {
            return RawWsClient.JSON.readTree(r.body()).path("token").asText();
        } catch (Exception e) {
            throw new AssertionError(r.body(), e);
        }
    }

    private HttpResponse<String> post(String path, String token, String key, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(gateway.resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body));
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

    private static CliRun cli(String... args) {
        return CliRun.of(args);
    }
}
