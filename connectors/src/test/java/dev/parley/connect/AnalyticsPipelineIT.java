package dev.parley.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.avro.event.ChannelEvent;
import dev.parley.connect.support.ChannelScript;
import dev.parley.connect.support.ConnectorConfigs;
import dev.parley.connect.support.Sql;
import dev.parley.schemas.registry.server.RegistryServerConfig;
import dev.parley.schemas.registry.server.SchemaRegistryServer;
import dev.parley.schemas.serde.ParleyAvroSerde;
import dev.parley.schemas.serde.ParleyAvroSerializer;
import dev.parley.schemas.serde.WireFormat;
import dev.parley.schemas.topics.TopicNames;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffset;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffsets;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analytics path end to end, on real components: a KRaft broker and a Kafka Connect worker
 * (EmbeddedConnectCluster, Kafka 4.3.1), Parley's schema registry server, the committed log written with the
 * exact serializer the topology uses, ParleyAvroConverter + FlattenChannelEvent, the Debezium JDBC sink
 * loaded from a plugin.path laid out by the build, and PostgreSQL 14 (embedded binaries).
 *
 * <p>The steps share one pipeline and run in order: rows after messages, edits and deletes; a schema change;
 * poison records to the dead-letter queue; a replay from the beginning.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AnalyticsPipelineIT {

    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsPipelineIT.class);
    private static final Duration PIPELINE = Duration.ofMinutes(2);

    private final TopicNames topics = new TopicNames("t-analytics-");
    private final String dlq = "t-analytics-analytics-dlq";
    private final String noTextDlq = "t-analytics-analytics-notext-dlq";

    private EmbeddedPostgres postgres;
    private Sql sql;
    private EmbeddedConnectCluster connect;
    private SchemaRegistryServer registry;
    private KafkaProducer<String, byte[]> producer;
    private ParleyAvroSerde<ChannelEvent> serde;
    private String connector;
    private final List<ChannelEvent> written = new ArrayList<>();
    private ChannelScript general;
    private ChannelScript random;

    @BeforeAll
    void start() throws Exception {
        long t0 = System.nanoTime();
        postgres = EmbeddedPostgres.builder().start();
        sql = new Sql(postgres.getPostgresDatabase());
        long t1 = System.nanoTime();

        Map<String, String> worker = new HashMap<>();
        worker.put("plugin.path", System.getProperty("parley.connect.plugin.path"));
        worker.put("plugin.discovery", "service_load");
        worker.put("offset.flush.interval.ms", "1000");
        connect = new EmbeddedConnectCluster.Builder()
                .name("parley-analytics-it")
                .numWorkers(1)
                .numBrokers(1)
                .workerProps(worker)
                .build();
        connect.start();
        long t2 = System.nanoTime();

        // The registry creates its topic when absent, but right after creating it may fail to describe it
        // ("created but cannot be described": metadata not yet propagated on a broker that just started).
        // Create it here and wait until it is visible, so the registry finds it.
        connect.kafka().createTopic(topics.schemas(), 1, 1, Map.of("cleanup.policy", "compact"));
        connect.assertions().assertTopicsExist(topics.schemas());
        registry = SchemaRegistryServer.start(RegistryServerConfig.defaults().withPort(0).withHost("127.0.0.1")
                .withTopics(topics), connect.kafka().bootstrapServers());
        connect.kafka().createTopic(topics.log(), 3);
        connect.kafka().createTopic(dlq, 1);
        connect.kafka().createTopic(noTextDlq, 1);
        long t3 = System.nanoTime();
        LOG.info("PostgreSQL up in {} ms, broker + Connect worker in {} ms, registry in {} ms",
                (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000);

        serde = ParleyAvroSerde.forValue(ChannelEvent.class, Map.of("schema.registry.url", registry.url().toString()));
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, connect.kafka().bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    void stop() throws IOException {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (registry != null) {
            registry.close();
        }
        if (connect != null) {
            connect.stop();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private Map<String, String> env() {
        return Map.of(
                "PARLEY_REGISTRY_URL", registry.url().toString(),
                "PARLEY_ANALYTICS_JDBC_URL", postgres.getJdbcUrl("postgres", "postgres"),
                "PARLEY_ANALYTICS_JDBC_USER", "postgres",
                "PARLEY_ANALYTICS_JDBC_PASSWORD", "postgres",
                "PARLEY_ANALYTICS_TABLE", "parley_events_notext");
    }

    private void send(ChannelEvent e) {
        sendRaw(e.getChannel(), serde.serializer().serialize(topics.log(), e));
        written.add(e);
    }

    private void sendRaw(String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topics.log(), key, value)).get();
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private void assertRunning(String name) {
        ConnectorStateInfo status = connect.connectorStatus(name);
        assertThat(status.connector().state()).isEqualTo("RUNNING");
        assertThat(status.tasks()).isNotEmpty().allSatisfy(t -> assertThat(t.state()).as(t.trace()).isEqualTo("RUNNING"));
    }

    private List<Map<String, Object>> table(String table) {
        return sql.rowsIfTableExists(table, "SELECT * FROM " + table + " ORDER BY channel, seq");
    }

    @Test
    @Order(1)
    void messagesEditsAndDeletesBecomeOneRowPerEventAndTheViewShowsCurrentMessages() throws Exception {
        // the history the topology would have written: two channels, one crossing midnight UTC
        general = new ChannelScript("general", Instant.parse("2026-11-20T10:00:00Z"));
        general.create("ada", "General").join("bob").join("cy");
        long hello = general.post("ada", "hello @bob", null, List.of("bob"));
        general.post("bob", "hi ada", hello, List.of());
        long lunch = general.post("cy", "lunch?");
        general.edit("ada", hello, "hello everyone").react("bob", hello, ":wave:").delete("cy", lunch).read("bob", 9);
        general.post("ada", "second reply", hello, List.of());
        long root = general.post("bob", "another root");
        general.post("cy", "re", root, List.of());
        general.edit("bob", root, "another root (edited)").edit("bob", root, "another root v3");
        random = new ChannelScript("random", Instant.parse("2026-11-20T23:57:00Z"));
        random.create("bob", null).join("ada");
        long late = random.post("bob", "late");
        random.post("ada", "good morning", late, List.of());
        random.leave("ada");
        general.events().forEach(this::send);
        random.events().forEach(this::send);
        assertThat(written).hasSize(20);

        Map.Entry<String, Map<String, String>> pg = ConnectorConfigs.load("sink-postgres.json", env());
        connector = pg.getKey();
        Map<String, String> config = new HashMap<>(pg.getValue());
        config.put("topics", topics.log());
        config.put("errors.deadletterqueue.topic.name", dlq);
        long created = System.nanoTime();
        connect.configureConnector(connector, config);

        // the generic-JDBC config, here also into PostgreSQL, with the privacy option on: no text at all
        Map.Entry<String, Map<String, String>> generic = ConnectorConfigs.load("sink-jdbc-generic.json", env());
        Map<String, String> genericConfig = new HashMap<>(generic.getValue());
        genericConfig.put("topics", topics.log());
        genericConfig.put("errors.deadletterqueue.topic.name", noTextDlq);
        genericConfig.put("transforms.flatten.text.include", "false");
        connect.configureConnector(generic.getKey(), genericConfig);

        await().atMost(PIPELINE).untilAsserted(() -> assertThat(table("parley_events")).hasSize(20));
        LOG.info("20 events in parley_events {} ms after the connector was created", (System.nanoTime() - created) / 1_000_000);
        assertRunning(connector);

        // one row per event, keyed by (channel, seq), gap-free
        List<Map<String, Object>> rows = table("parley_events");
        assertThat(rows).extracting(r -> r.get("channel") + "/" + r.get("seq")).containsExactlyElementsOf(
                written.stream().sorted((a, b) -> a.getChannel().equals(b.getChannel())
                                ? Long.compare(a.getSeq(), b.getSeq()) : a.getChannel().compareTo(b.getChannel()))
                        .map(e -> e.getChannel() + "/" + e.getSeq()).toList());
        Map<String, String> columns = sql.columns("parley_events");
        LOG.info("parley_events columns: {}", columns);
        assertThat(columns).containsEntry("channel", "text not null").containsEntry("seq", "bigint not null")
                .containsEntry("target_seq", "bigint null").containsEntry("direct", "boolean null");
        assertThat(columns.get("ts")).startsWith("timestamp");
        assertThat(sql.rows("SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
                + " AND a.attnum = ANY(i.indkey) WHERE i.indrelid = 'parley_events'::regclass AND i.indisprimary ORDER BY a.attname"))
                .extracting(r -> r.get("attname")).containsExactly("channel", "seq");

        Map<String, Object> posted = row("general", hello);
        assertThat(posted).containsEntry("kind", "MESSAGE").containsEntry("text", "hello @bob").containsEntry("user_id", "ada")
                .containsEntry("message_id", "msg-general-4").containsEntry("mentions", "bob")
                .containsEntry("idempotency_key", "idem-general-4");
        // timestamp without time zone, in UTC (use.time.zone=UTC)
        assertThat(((Timestamp) posted.get("ts")).toLocalDateTime()).isEqualTo(LocalDateTime.parse("2026-11-20T10:04:00"));
        assertThat(row("general", 7)).containsEntry("kind", "EDITED").containsEntry("target_seq", hello)
                .containsEntry("text", "hello everyone").containsEntry("message_id", "msg-general-4");
        assertThat(row("general", 8)).containsEntry("kind", "REACTION_ADDED").containsEntry("emoji", ":wave:");
        assertThat(row("general", 9)).containsEntry("kind", "DELETED").containsEntry("target_seq", lunch).containsEntry("text", null);
        // deletes are events: the original row keeps its text in the raw table (see docs/analytics.md)
        assertThat(row("general", lunch)).containsEntry("kind", "MESSAGE").containsEntry("text", "lunch?");
        assertThat(row("general", 10)).containsEntry("kind", "READ").containsEntry("read_seq", 9L);
        assertThat(row("random", 5)).containsEntry("kind", "MEMBER_LEFT").containsEntry("member_user", "ada");

        // the current state of messages: the shipped view
        sql.update(Sql.file("parley_messages.sql"));
        Map<Long, Map<String, Object>> messages = sql.rows("SELECT * FROM parley_messages WHERE channel = 'general' ORDER BY seq")
                .stream().collect(Collectors.toMap(r -> (Long) r.get("seq"), r -> r));
        assertThat(messages).containsOnlyKeys(hello, 5L, lunch, 11L, root, 13L);
        assertThat(messages.get(hello)).containsEntry("text", "hello everyone").containsEntry("edited", 1).containsEntry("deleted", 0)
                .containsEntry("reactions", 1L).containsEntry("replies", 2L);
        assertThat(messages.get(lunch)).containsEntry("text", null).containsEntry("deleted", 1).containsEntry("edited", 0);
        assertThat(messages.get(root)).containsEntry("text", "another root v3").containsEntry("replies", 1L);
        assertThat(messages.get(5L)).containsEntry("text", "hi ada").containsEntry("thread_root", hello);

        // the example queries of docs/analytics.md
        Map<String, String> examples = Sql.named("examples.sql");
        assertThat(sql.rows(examples.get("messages_per_channel_per_day"))).extracting(r -> r.get("channel") + " " + r.get("day") + " " + r.get("messages"))
                .containsExactly("general 2026-11-20 6", "random 2026-11-21 2");
        assertThat(sql.rows(examples.get("daily_active_users"))).extracting(r -> r.get("day") + " " + r.get("active_users"))
                .containsExactly("2026-11-20 3", "2026-11-21 2");
        assertThat(sql.count(examples.get("active_users_last_30_days"))).isEqualTo(3);
        assertThat(sql.rows(examples.get("p50_thread_length")).get(0)).containsEntry("p50_thread_length", 1.0).containsEntry("threads", 3L);
        assertThat(sql.rows(examples.get("edited_and_deleted_share"))).extracting(r -> r.get("channel") + " " + r.get("messages")
                + " " + r.get("edited") + " " + r.get("deleted")).containsExactly("general 6 2 1", "random 2 0 0");

        // the privacy variant: same rows, and no text or mentions column at all
        await().atMost(PIPELINE).untilAsserted(() -> assertThat(table("parley_events_notext")).hasSize(20));
        assertThat(sql.columns("parley_events_notext")).doesNotContainKeys("text", "mentions").containsKeys("message_id", "target_seq");
        assertRunning(generic.getKey());
    }

    private Map<String, Object> row(String channel, long seq) {
        List<Map<String, Object>> r = sql.rows("SELECT * FROM parley_events WHERE channel = '" + channel + "' AND seq = " + seq);
        assertThat(r).as("row %s/%s", channel, seq).hasSize(1);
        return r.get(0);
    }

    @Test
    @Order(2)
    void aNewOptionalFieldInTheEventSchemaBecomesANewNullableColumn() throws IOException {
        long seq = general.post("ada", "from the new app");
        ChannelEvent event = general.events().get((int) seq - 1);
        Schema evolved = EvolvedSchemas.withField(event.getSchema(), "clientVersion", EvolvedSchemas.nullableString());
        GenericRecord record = EvolvedSchemas.reread(event, evolved);
        record.put("clientVersion", "ios-5.1");
        ParleyAvroSerializer<GenericRecord> writer = new ParleyAvroSerializer<>();
        writer.configure(Map.of("schema.registry.url", registry.url().toString()), false);
        sendRaw("general", writer.serialize(topics.log(), record));

        await().atMost(PIPELINE).untilAsserted(() -> assertThat(table("parley_events")).hasSize(21));
        assertThat(sql.columns("parley_events")).containsEntry("client_version", "text null");
        assertThat(row("general", seq)).containsEntry("client_version", "ios-5.1").containsEntry("text", "from the new app");
        assertThat(sql.count("SELECT COUNT(*) FROM parley_events WHERE client_version IS NULL")).isEqualTo(20);
        assertRunning(connector);
    }

    @Test
    @Order(3)
    void recordsTheConverterCannotReadGoToTheDeadLetterQueueAndTheSinkKeepsRunning() throws Exception {
        byte[] good = serde.serializer().serialize(topics.log(), general.events().get(0));
        byte[] unknownSchema = good.clone();
        WireFormat.writeHeader(unknownSchema, 987_654);
        byte[] truncated = java.util.Arrays.copyOf(good, WireFormat.HEADER_SIZE + 3);
        sendRaw("general", "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8));
        sendRaw("general", unknownSchema);
        sendRaw("general", truncated);
        long after = general.post("bob", "still flowing");
        send(general.events().get((int) after - 1));

        await().atMost(PIPELINE).untilAsserted(() -> assertThat(table("parley_events")).hasSize(22));
        assertThat(row("general", after)).containsEntry("text", "still flowing");
        ConsumerRecords<byte[], byte[]> dead = connect.kafka().consume(3, PIPELINE.toMillis(), dlq);
        List<String> reasons = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : dead) {
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("general");
            reasons.add(header(r, "__connect.errors.stage") + " " + header(r, "__connect.errors.exception.class.name")
                    + ": " + header(r, "__connect.errors.exception.message"));
            assertThat(header(r, "__connect.errors.topic")).isEqualTo(topics.log());
        }
        LOG.info("dead letters: {}", reasons);
        assertThat(reasons).hasSize(3).allSatisfy(r -> assertThat(r).startsWith("VALUE_CONVERTER org.apache.kafka.connect.errors.DataException"));
        assertThat(reasons.get(0)).contains("magic byte");
        assertThat(reasons.get(1)).contains("987654");
        assertThat(reasons.get(2)).contains("does not decode");
        assertRunning(connector);
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    @Order(4)
    void replayingTheTopicFromTheBeginningLeavesTheSameRows() throws Exception {
        List<Map<String, Object>> before = table("parley_events");
        assertThat(before).hasSize(22);
        // damage the copy, so the replay has visible work to do
        assertThat(sql.update("UPDATE parley_events SET text = 'tampered' WHERE channel = 'general' AND seq = 4")).isEqualTo(1);
        assertThat(sql.update("DELETE FROM parley_events WHERE channel = 'random' AND seq = 5")).isEqualTo(1);

        connect.stopConnector(connector);
        connect.assertions().assertConnectorIsStopped(connector, "connector did not stop");
        connect.resetConnectorOffsets(connector);
        connect.resumeConnector(connector);

        await().atMost(PIPELINE).untilAsserted(() -> assertThat(table("parley_events")).isEqualTo(before));
        // and nothing more arrives: the replay has consumed the whole log
        Map<Integer, Long> end = endOffsets();
        await().atMost(PIPELINE).untilAsserted(() -> assertThat(committedOffsets(connector)).isEqualTo(end));
        assertThat(table("parley_events")).isEqualTo(before);
        // the poison records were met again on the way
        assertThat(connect.kafka().consume(6, PIPELINE.toMillis(), dlq).count()).isEqualTo(6);
        assertRunning(connector);
    }

    @Test
    @Order(5)
    void theShippedRedactionRemovesTheTextOfDeletedMessagesOnly() {
        // a deleted message that had been edited, to see both of its rows lose their text
        long doomed = general.post("cy", "oops, wrong channel");
        general.edit("cy", doomed, "oops, wrong channel!!").delete("cy", doomed);
        general.events().subList((int) doomed - 1, (int) doomed + 2).forEach(this::send);
        await().atMost(PIPELINE).untilAsserted(() -> assertThat(table("parley_events")).hasSize(25));
        long withText = sql.count("SELECT COUNT(*) FROM parley_events WHERE text IS NOT NULL");

        int redacted = sql.update(Sql.file("redact_deleted_text.sql"));

        assertThat(redacted).isEqualTo(3); // "lunch?", "oops, wrong channel" and its edit
        assertThat(row("general", 6)).containsEntry("text", null);
        assertThat(row("general", doomed)).containsEntry("text", null).containsEntry("message_id", "msg-general-" + doomed);
        assertThat(row("general", doomed + 1)).containsEntry("kind", "EDITED").containsEntry("text", null);
        assertThat(sql.count("SELECT COUNT(*) FROM parley_events WHERE text IS NOT NULL")).isEqualTo(withText - 3);
        assertThat(row("general", 4)).containsEntry("text", "hello @bob");
        assertThat(sql.rows("SELECT text, deleted FROM parley_messages WHERE channel = 'general' AND seq = " + doomed).get(0))
                .containsEntry("text", null).containsEntry("deleted", 1);
    }

    private Map<Integer, Long> endOffsets() throws Exception {
        Map<Integer, Long> out = new HashMap<>();
        for (int p = 0; p < 3; p++) {
            out.put(p, connect.kafka().endOffset(new TopicPartition(topics.log(), p)));
        }
        return out;
    }

    private Map<Integer, Long> committedOffsets(String name) {
        ConnectorOffsets offsets = connect.connectorOffsets(name);
        Map<Integer, Long> out = new HashMap<>();
        for (int p = 0; p < 3; p++) {
            out.put(p, 0L);
        }
        for (ConnectorOffset o : offsets.offsets()) {
            out.put(((Number) o.partition().get("kafka_partition")).intValue(), ((Number) o.offset().get("kafka_offset")).longValue());
        }
        return out;
    }

    /** ChannelEvent plus an optional string field at the end, as a later release would add it. */
}
