package dev.parley.schemas.registry.server;

import static dev.parley.schemas.registry.server.RawHttp.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.schemas.topics.TopicNames;
import dev.parley.testkit.KafkaTestCluster;
import dev.parley.testkit.SharedKafka;
import dev.parley.testkit.TestNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The registry's state lives in its Kafka topic: a new server on the same topic answers exactly as the old one. */
@ExtendWith(SharedKafka.class)
class RegistryDurabilityTest {

    static String note(String namespace, String extraFields) {
        return "{\"type\":\"record\",\"name\":\"Note\",\"namespace\":\"" + namespace
                + "\",\"fields\":[{\"name\":\"text\",\"type\":\"string\"}" + extraFields + "]}";
    }

    static final String A1 = note("dur.a", "");
    static final String A2 = note("dur.a", ",{\"name\":\"pinned\",\"type\":\"boolean\",\"default\":false}");
    static final String B1 = note("dur.b", "");
    static final String C1 = note("dur.c", "");

    @Test
    void aRestartedRegistryAnswersTheSameAndNeverReusesIds(KafkaTestCluster kafka) {
        RegistryServerConfig config = config(kafka);
        List<String> paths = List.of("/subjects", "/subjects?deleted=true", "/subjects/a-value/versions",
                "/subjects/a-value/versions/latest", "/subjects/a-value/versions/1", "/subjects/shared-value/versions/latest",
                "/subjects/b-value/versions?deleted=true", "/config/a-value", "/config");
        Map<String, JsonNode> before = new LinkedHashMap<>();
        int maxId;
        int deletedId;
        try (SchemaRegistryServer first = SchemaRegistryServer.start(config)) {
            RawHttp http = new RawHttp(first.url());
            int a1 = register(http, "a-value", A1);
            int a2 = register(http, "a-value", A2);
            assertThat(register(http, "shared-value", A1)).isEqualTo(a1);
            int b1 = register(http, "b-value", B1);
            assertThat(http.put("/config/a-value", "{\"compatibility\":\"FULL\"}").status()).isEqualTo(200);
            assertThat(http.put("/config", "{\"compatibility\":\"FORWARD\"}").status()).isEqualTo(200);
            assertThat(http.delete("/subjects/b-value").json()).hasToString("[1]");
            assertThat(List.of(a1, a2, b1)).doesNotHaveDuplicates();
            maxId = Math.max(a1, Math.max(a2, b1));
            deletedId = b1;
            for (String p : paths) {
                RawHttp.Reply r = http.get(p);
                assertThat(r.status()).as(p).isEqualTo(200);
                before.put(p, r.json());
            }
            assertThat(before.get("/subjects")).hasToString("[\"a-value\",\"shared-value\"]");
            assertThat(before.get("/subjects/a-value/versions")).hasToString("[1,2]");
        }

        try (SchemaRegistryServer second = SchemaRegistryServer.start(config)) {
            RawHttp http = new RawHttp(second.url());
            for (String p : paths) {
                assertThat(http.get(p).json()).as("after restart: GET " + p).isEqualTo(before.get(p));
            }
            for (int id = 1; id <= maxId; id++) {
                assertThat(http.get("/schemas/ids/" + id).status()).as("schema id " + id).isEqualTo(200);
            }
            assertThat(http.get("/subjects/b-value/versions/latest").errorCode()).as("still soft-deleted").isEqualTo(40401);

            int c1 = register(http, "c-value", C1);
            assertThat(c1).as("a fresh id, never one of the stored ones").isEqualTo(maxId + 1);
            assertThat(register(http, "b-value", B1)).as("a soft-deleted schema keeps its id").isEqualTo(deletedId);
            assertThat(http.get("/subjects/b-value/versions").json()).hasToString("[2]");
        }

        try (SchemaRegistryServer third = SchemaRegistryServer.start(config)) {
            RawHttp http = new RawHttp(third.url());
            assertThat(http.get("/subjects/c-value/versions/latest").json().get("id").asInt()).isEqualTo(maxId + 1);
            assertThat(register(http, "d-value", note("dur.d", ""))).isEqualTo(maxId + 2);
        }
    }

    @Test
    void theStorageTopicIsCompactedWithOnePartitionAndHoldsOneJsonRecordPerChange(KafkaTestCluster kafka) throws Exception {
        RegistryServerConfig config = config(kafka);
        try (SchemaRegistryServer server = SchemaRegistryServer.start(config)) {
            RawHttp http = new RawHttp(server.url());
            int id = register(http, "a-value", A1);
            register(http, "a-value", A1); // already registered: nothing written
            http.put("/config/a-value", "{\"compatibility\":\"NONE\"}");
            http.delete("/config/a-value");

            try (Admin admin = kafka.admin()) {
                var description = admin.describeTopics(List.of(config.topic())).allTopicNames().get(30, TimeUnit.SECONDS).get(config.topic());
                assertThat(description.partitions()).hasSize(1);
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, config.topic());
                var topicConfig = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
                assertThat(topicConfig.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact");
            }

            List<ConsumerRecord<byte[], byte[]>> records = readAll(kafka, config.topic());
            assertThat(records).hasSize(3);
            assertThat(RawHttp.JSON.readTree(records.get(0).key())).hasToString("{\"keytype\":\"SCHEMA\",\"subject\":\"a-value\",\"version\":1}");
            JsonNode value = RawHttp.JSON.readTree(records.get(0).value());
            assertThat(value.get("id").asInt()).isEqualTo(id);
            assertThat(value.get("deleted").asBoolean()).isFalse();
            assertThat(value.get("schema").asText()).isEqualTo(new org.apache.avro.Schema.Parser().parse(A1).toString());
            assertThat(RawHttp.JSON.readTree(records.get(1).key())).hasToString("{\"keytype\":\"CONFIG\",\"subject\":\"a-value\"}");
            assertThat(RawHttp.JSON.readTree(records.get(1).value())).hasToString("{\"compatibilityLevel\":\"NONE\"}");
            assertThat(records.get(2).value()).as("a cleared level is a tombstone").isNull();
        }
    }

    @Test
    void refusesTopicsThatCouldReorderOrLoseSchemas(KafkaTestCluster kafka) throws Exception {
        String prefix = TestNames.prefix(RegistryDurabilityTest.class);
        String partitioned = prefix + "partitioned";
        String deleting = prefix + "deleting";
        try (Admin admin = kafka.admin()) {
            admin.createTopics(List.of(
                    new NewTopic(partitioned, 3, (short) 1).configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "compact")),
                    new NewTopic(deleting, 1, (short) 1).configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "delete"))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        RegistryServerConfig config = RegistryServerConfig.defaults().withPort(0).withBootstrapServers(kafka.bootstrapServers());

        assertThatThrownBy(() -> SchemaRegistryServer.start(config.withTopic(partitioned)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("3 partitions").hasMessageContaining("exactly 1");
        assertThatThrownBy(() -> SchemaRegistryServer.start(config.withTopic(deleting)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cleanup.policy=delete");
    }

    private static RegistryServerConfig config(KafkaTestCluster kafka) {
        return RegistryServerConfig.defaults().withPort(0).withBootstrapServers(kafka.bootstrapServers())
                .withTopics(new TopicNames(TestNames.prefix(RegistryDurabilityTest.class)));
    }

    private static int register(RawHttp http, String subject, String schema) {
        RawHttp.Reply r = http.post("/subjects/" + subject + "/versions", schemaBody(schema));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json().get("id").asInt();
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaTestCluster kafka, String topic) {
        TopicPartition tp = new TopicPartition(topic, 0);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                return consumer.position(tp) >= end;
            });
        }
        return out;
    }
}
