package dev.parley.schemas.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.event.EventKind;
import dev.parley.avro.event.MessagePosted;
import dev.parley.schemas.serde.ParleyAvroDeserializer;
import dev.parley.schemas.serde.ParleyAvroSerializer;
import dev.parley.schemas.serde.RegistryClients;
import dev.parley.schemas.serde.SerdeConfig;
import dev.parley.schemas.topics.TopicNames;
import dev.parley.testkit.KafkaTestCluster;
import dev.parley.testkit.SharedKafka;
import dev.parley.testkit.TestNames;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Interoperability of Parley's registry and serde with Confluent's official JavaScript client
 * ({@code @confluentinc/schemaregistry}, pinned in src/test/js/package-lock.json, installed with npm ci into
 * target/js-interop). Skipped, loudly, where node or npm are missing.
 */
@ExtendWith(SharedKafka.class)
class RegistryJsInteropTest {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryJsInteropTest.class);
    private static final String MESSAGE_POSTED = MessagePosted.getClassSchema().getFullName();

    static JsInteropTool js;
    static SchemaRegistryServer server;
    static TopicNames names;
    static Optional<String> skipReason = Optional.empty();

    @BeforeAll
    static void setUp(KafkaTestCluster kafka) throws Exception {
        Optional<String> missing = JsInteropTool.missingTools();
        if (missing.isPresent()) {
            skipReason = Optional.of("SKIPPING the interop test with Confluent's JavaScript client: " + missing.get()
                    + ". Install Node.js 20+ with npm to run it (CI has it).");
            LOG.warn("!!! {}", skipReason.get());
            return;
        }
        js = JsInteropTool.install(moduleDir());
        names = new TopicNames(TestNames.prefix(RegistryJsInteropTest.class));
        server = SchemaRegistryServer.start(RegistryServerConfig.defaults().withPort(0).withTopics(names), kafka.bootstrapServers());
    }

    /** Per test, so that each one is reported as skipped (a class-level abort shows as 0 tests run). */
    @BeforeEach
    void requireNode() {
        skipReason.ifPresent(reason -> LOG.warn("!!! {}", reason));
        assumeTrue(skipReason.isEmpty(), skipReason.orElse(""));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theJsClientDecodesWhatParleysSerializerWrote() throws Exception {
        String topic = names.prefix() + "js-reads";
        ChannelEvent event = TestEvents.message("c-interop", 42, "hello from Java");
        byte[] bytes = serializer().serialize(topic, event);

        JsInteropTool.Run run = js.node("decode.js", server.url().toString(), topic, Base64.getEncoder().encodeToString(bytes));

        assertThat(run.exit()).as(run.describe()).isZero();
        assertThat(run.result()).as(run.describe()).isPresent();
        JsonNode decoded = RawHttp.JSON.readTree(run.result().orElseThrow());
        assertThat(decoded.get("channel").asText()).isEqualTo("c-interop");
        assertThat(decoded.get("seq").asLong()).isEqualTo(42);
        assertThat(decoded.get("eventId").asText()).isEqualTo("ev-c-interop-42");
        assertThat(decoded.get("messageId").asText()).isEqualTo("m-42");
        assertThat(decoded.get("kind").asText()).isEqualTo("MESSAGE");
        assertThat(decoded.get("actor").get("user").asText()).isEqualTo("ada");
        assertThat(decoded.get("timestamp").asLong()).isEqualTo(event.getTimestamp().toEpochMilli());
        assertThat(decoded.get("commandId").isNull()).isTrue();
        assertThat(decoded.get("payload").get(MESSAGE_POSTED).get("text").asText()).isEqualTo("hello from Java");
    }

    @Test
    void parleyReadsWhatTheJsClientWroteWithANewerBackwardCompatibleSchema() throws Exception {
        String topic = names.prefix() + "js-writes";
        RawHttp http = new RawHttp(server.url());
        serializer().serialize(topic, TestEvents.message("c-interop", 1, "v1 first")); // registers v1
        int v1 = http.get("/subjects/" + topic + "-value/versions/latest").json().get("id").asInt();

        Path schemaFile = js.dir().resolve("channel-event-v2.avsc");
        Files.writeString(schemaFile, newerChannelEventSchema());
        Path recordFile = js.dir().resolve("record-v2.json");
        Files.writeString(recordFile, """
                {"channel":"c-js","seq":7,"eventId":"ev-js-7","messageId":"m-7","kind":"MESSAGE",
                 "actor":{"user":"grace","device":"node"},"timestamp":1764000000007,
                 "idempotencyKey":null,"commandId":"cmd-7",
                 "payload":{"%s":{"text":"hello from node","threadRoot":5}},
                 "editedBy":"grace","reactionCount":3}
                """.formatted(MESSAGE_POSTED));

        JsInteropTool.Run run = js.node("encode.js", server.url().toString(), topic, schemaFile.toString(), recordFile.toString());

        assertThat(run.exit()).as(run.describe()).isZero();
        JsonNode result = RawHttp.JSON.readTree(run.result().orElseThrow(() -> new AssertionError(run.describe())));
        int v2 = result.get("id").asInt();
        RawHttp.Reply latest = http.get("/subjects/" + topic + "-value/versions/latest");
        assertThat(latest.json().get("version").asInt()).as("the JS client registered version 2").isEqualTo(2);
        assertThat(latest.json().get("id").asInt()).isEqualTo(v2).isNotEqualTo(v1);
        assertThat(new Schema.Parser().parse(latest.json().get("schema").asText()).getField("reactionCount")).isNotNull();

        byte[] bytes = Base64.getDecoder().decode(result.get("bytes").asText());
        assertThat(bytes[0]).isZero();
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(v2);

        ParleyAvroDeserializer<ChannelEvent> deserializer = new ParleyAvroDeserializer<>(
                RegistryClients.forConfig(config()), config(), ChannelEvent.class);
        ChannelEvent read = deserializer.deserialize(topic, bytes);

        assertThat(read.getChannel()).isEqualTo("c-js");
        assertThat(read.getSeq()).isEqualTo(7);
        assertThat(read.getEventId()).isEqualTo("ev-js-7");
        assertThat(read.getMessageId()).isEqualTo("m-7");
        assertThat(read.getKind()).isEqualTo(EventKind.MESSAGE);
        assertThat(read.getActor().getUser()).isEqualTo("grace");
        assertThat(read.getActor().getDevice()).isEqualTo("node");
        assertThat(read.getTimestamp()).isEqualTo(Instant.ofEpochMilli(1_764_000_000_007L));
        assertThat(read.getIdempotencyKey()).isNull();
        assertThat(read.getCommandId()).isEqualTo("cmd-7");
        assertThat(read.getPayload()).isEqualTo(MessagePosted.newBuilder().setText("hello from node").setThreadRoot(5L).build());
    }

    /** ChannelEvent plus two fields with defaults: what a newer producer would write (BACKWARD compatible). */
    private static String newerChannelEventSchema() throws Exception {
        ObjectNode schema = (ObjectNode) RawHttp.JSON.readTree(ChannelEvent.getClassSchema().toString());
        ArrayNode fields = (ArrayNode) schema.get("fields");
        ObjectNode editedBy = fields.addObject().put("name", "editedBy");
        editedBy.putArray("type").add("null").add("string");
        editedBy.putNull("default");
        fields.addObject().put("name", "reactionCount").put("type", "int").put("default", 0);
        return schema.toString();
    }

    private static ParleyAvroSerializer<ChannelEvent> serializer() {
        return new ParleyAvroSerializer<>(RegistryClients.forConfig(config()), config(), false);
    }

    private static SerdeConfig config() {
        return SerdeConfig.parse(SerdeConfig.forUrl(server.url().toString()));
    }

    private static Path moduleDir() {
        Path base = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        return Files.isDirectory(base.resolve("src/test/js")) ? base : base.resolve("schemas");
    }
}
