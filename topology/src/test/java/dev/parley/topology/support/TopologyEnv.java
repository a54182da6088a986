package dev.parley.topology.support;

import dev.parley.avro.command.CommandEnvelope;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.result.CommandResult;
import dev.parley.schemas.config.Env;
import dev.parley.schemas.registry.server.RegistryServerConfig;
import dev.parley.schemas.registry.server.SchemaRegistryServer;
import dev.parley.schemas.serde.ParleyAvroSerde;
import dev.parley.schemas.topics.TopicNames;
import dev.parley.schemas.topics.TopicProvisioner;
import dev.parley.schemas.topics.TopicSettings;
import dev.parley.testkit.KafkaTestCluster;
import dev.parley.testkit.TestNames;
import dev.parley.topology.TopologyConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;

/**
 * What a topology integration test needs around it: a real broker (shared), Parley's registry on an
 * ephemeral port, a private topic prefix, clients with Parley's serdes, and configs for instances.
 */
public final class TopologyEnv implements AutoCloseable {

    public final KafkaTestCluster kafka;
    public final TopicNames names;
    public final SchemaRegistryServer registry;
    public final Map<String, Object> serdeConfig;
    public final int partitions;
    /** The query RPC's shared secret for this test class's instances (tests generate one, as the local runner does). */
    public final String rpcSecret = java.util.HexFormat.of().formatHex(randomBytes());

    public TopologyEnv(KafkaTestCluster kafka, Class<?> testClass, int partitions) {
        this.kafka = kafka;
        this.partitions = partitions;
        this.names = new TopicNames(TestNames.prefix(testClass));
        this.registry = SchemaRegistryServer.start(RegistryServerConfig.defaults().withPort(0).withHost("127.0.0.1")
                .withTopics(names), kafka.bootstrapServers());
        this.serdeConfig = Map.of("schema.registry.url", registry.url().toString());
        try (Admin admin = kafka.admin()) {
            new TopicProvisioner(admin, names, TopicSettings.of(partitions, (short) 1)).provision();
        }
    }

    /** Environment variables for one topology instance (also usable for a child JVM). */
    public Map<String, String> instanceEnv(String applicationId, Path stateDir, int standbys) {
        Map<String, String> env = new HashMap<>();
        env.put("PARLEY_TOPOLOGY_APPLICATION_ID", applicationId);
        env.put("PARLEY_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("PARLEY_SCHEMA_REGISTRY_URL", registry.url().toString());
        env.put("PARLEY_TOPIC_PREFIX", names.prefix());
        env.put("PARLEY_PARTITIONS", String.valueOf(partitions));
        env.put("PARLEY_STATE_DIR", stateDir.toString());
        env.put("PARLEY_STANDBY_REPLICAS", String.valueOf(standbys));
        env.put("PARLEY_TOPOLOGY_RPC_PORT", "0");
        env.put("PARLEY_TOPOLOGY_RPC_BIND", "127.0.0.1");
        env.put("PARLEY_TOPOLOGY_RPC_SECRET", rpcSecret);
        env.put("PARLEY_TOPOLOGY_ADVERTISED_HOST", "127.0.0.1");
        env.put("PARLEY_COMMIT_INTERVAL", "20ms");
        // Detect a killed instance quickly (the broker's minimum), so tests do not wait 45 s.
        env.put("PARLEY_KAFKA_SESSION_TIMEOUT_MS", "6000");
        env.put("PARLEY_KAFKA_HEARTBEAT_INTERVAL_MS", "1000");
        return env;
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[32];
        new java.security.SecureRandom().nextBytes(b);
        return b;
    }

    public TopologyConfig instanceConfig(String applicationId, Path stateDir, int standbys) {
        return TopologyConfig.fromEnv(Env.of(instanceEnv(applicationId, stateDir, standbys)));
    }

    public KafkaProducer<String, CommandEnvelope> commandProducer() {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        var serde = ParleyAvroSerde.forValue(CommandEnvelope.class, serdeConfig);
        return new KafkaProducer<>(props, Serdes.String().serializer(), serde.serializer());
    }

    public void send(KafkaProducer<String, CommandEnvelope> producer, CommandEnvelope cmd) {
        producer.send(new ProducerRecord<>(names.commands(), null, cmd.getTimestamp().toEpochMilli(), cmd.getChannel(), cmd));
    }

    public KafkaConsumer<String, ChannelEvent> logConsumer() {
        return consumer(ParleyAvroSerde.forValue(ChannelEvent.class, serdeConfig).deserializer(), names.log());
    }

    public KafkaConsumer<String, CommandResult> resultConsumer() {
        return consumer(ParleyAvroSerde.forValue(CommandResult.class, serdeConfig).deserializer(), names.results());
    }

    private <V> KafkaConsumer<String, V> consumer(org.apache.kafka.common.serialization.Deserializer<V> values, String topic) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        KafkaConsumer<String, V> c = new KafkaConsumer<>(props, Serdes.String().deserializer(), values);
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            tps.add(new TopicPartition(topic, p));
        }
        c.assign(tps);
        c.seekToBeginning(tps);
        return c;
    }

    /** Polls once and adds every record's value to {@code sink}. */
    public static <V> void drain(KafkaConsumer<String, V> consumer, List<V> sink) {
        for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(200))) {
            sink.add(r.value());
        }
    }

    @Override
    public void close() {
        registry.close();
    }
}
