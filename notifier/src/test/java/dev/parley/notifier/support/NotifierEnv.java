package dev.parley.notifier.support;

import dev.parley.avro.notify.Notification;
import dev.parley.avro.notify.NotificationDeadLetter;
import dev.parley.gateway.GatewayConfig;
import dev.parley.gateway.GatewayServer;
import dev.parley.gateway.auth.DevTokens;
import dev.parley.notifier.NotifierConfig;
import dev.parley.notifier.NotifierService;
import dev.parley.notifier.presence.PresenceView;
import dev.parley.notifier.streams.NotifierTopicNames;
import dev.parley.schemas.config.Env;
import dev.parley.schemas.registry.server.RegistryServerConfig;
import dev.parley.schemas.registry.server.SchemaRegistryServer;
import dev.parley.schemas.serde.ParleyAvroSerde;
import dev.parley.schemas.serde.SerdeConfig;
import dev.parley.schemas.topics.TopicNames;
import dev.parley.schemas.topics.TopicProvisioner;
import dev.parley.schemas.topics.TopicSettings;
import dev.parley.testkit.KafkaTestCluster;
import dev.parley.testkit.TestNames;
import dev.parley.topology.TopologyConfig;
import dev.parley.topology.TopologyService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import static org.awaitility.Awaitility.await;

/**
 * A Parley for notifier tests on one shared broker, with a private topic prefix: the registry and Parley's
 * topics always; a topology, gateways and notifiers on demand, each on ephemeral ports (as the gateway
 * module's GatewayEnv does).
 */
public final class NotifierEnv implements AutoCloseable {

    public static final String SECRET = "whsec_" + java.util.Base64.getEncoder().encodeToString(
            "a test secret of thirty-two bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    public final KafkaTestCluster kafka;
    public final TopicNames names;
    public final SchemaRegistryServer registry;
    public final DevTokens tokens = new DevTokens(GatewayConfig.DEV_SECRET);
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private TopologyService topology;

    public NotifierEnv(KafkaTestCluster kafka, Class<?> testClass) {
        this.kafka = kafka;
        this.names = new TopicNames(TestNames.prefix(testClass));
        this.registry = SchemaRegistryServer.start(RegistryServerConfig.defaults().withPort(0).withHost("127.0.0.1")
                .withTopics(names), kafka.bootstrapServers());
        try (var admin = kafka.admin()) {
            new TopicProvisioner(admin, names, TopicSettings.of(4, (short) 1)).provision();
        }
    }

    public Map<String, String> common() {
        Map<String, String> env = new HashMap<>();
        env.put("PARLEY_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("PARLEY_SCHEMA_REGISTRY_URL", registry.url().toString());
        env.put("PARLEY_TOPIC_PREFIX", names.prefix());
        env.put("PARLEY_PARTITIONS", "4");
        return env;
    }

    /** The topology (started on first use). */
    public synchronized TopologyService topology() {
        if (topology == null) {
            Map<String, String> t = new HashMap<>(common());
            t.put("PARLEY_TOPOLOGY_APPLICATION_ID", "ntftest-" + UUID.randomUUID());
            t.put("PARLEY_STATE_DIR", tempDir("parley-ntf-topology").toString());
            t.put("PARLEY_TOPOLOGY_RPC_PORT", "0");
            t.put("PARLEY_TOPOLOGY_RPC_BIND", "127.0.0.1");
            t.put("PARLEY_TOPOLOGY_ADVERTISED_HOST", "127.0.0.1");
            t.put("PARLEY_STREAM_THREADS", "1");
            topology = TopologyService.start(TopologyConfig.fromEnv(Env.of(t)));
            closeables.add(0, topology);
            await().atMost(Duration.ofSeconds(120)).until(topology::isRunning);
        }
        return topology;
    }

    public GatewayServer gateway() {
        Map<String, String> env = new HashMap<>(common());
        env.put("PARLEY_GATEWAY_PORT", "0");
        env.put("PARLEY_GATEWAY_BIND", "127.0.0.1");
        env.put("PARLEY_TOPOLOGY_URLS", topology().rpcUrl().toString());
        env.put("PARLEY_DEV_MODE", "true");
        GatewayServer g = GatewayServer.start(GatewayConfig.fromEnv(Env.of(env)));
        closeables.add(0, g);
        return g;
    }

    /** Environment of a notifier delivering to {@code receiver} (also for a child JVM). */
    public Map<String, String> notifierEnv(WebhookReceiver receiver, Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(common());
        env.put("PARLEY_NOTIFIER_APPLICATION_ID", "ntf-" + names.prefix().replace(".", "") + "notifier");
        env.put("PARLEY_NOTIFIER_STATE_DIR", tempDir("parley-ntf-state").toString());
        env.put("PARLEY_NOTIFIER_PORT", "0");
        env.put("PARLEY_NOTIFIER_BIND", "127.0.0.1");
        env.put("PARLEY_NOTIFIER_INSTANCE", "test");
        env.put("PARLEY_NOTIFIER_DELAY", "1s");
        env.put("PARLEY_NOTIFIER_COMMIT_INTERVAL", "50ms");
        env.put("PARLEY_NOTIFIER_WEBHOOKS", "test=" + receiver.url());
        env.put("PARLEY_NOTIFIER_WEBHOOK_SECRET_TEST", SECRET);
        env.put("PARLEY_NOTIFIER_WEBHOOK_TIMEOUT", "1s");
        env.put("PARLEY_NOTIFIER_RETRY_INITIAL", "100ms");
        env.put("PARLEY_NOTIFIER_RETRY_MAX_BACKOFF", "1s");
        env.put("PARLEY_NOTIFIER_CIRCUIT_OPEN", "500ms");
        env.putAll(overrides);
        return env;
    }

    /** A notifier that decides presence from the connection registry the gateways write. */
    public NotifierService notifier(WebhookReceiver receiver, Map<String, String> overrides) {
        NotifierService n = NotifierService.start(NotifierConfig.fromEnv(Env.of(notifierEnv(receiver, overrides))));
        closeables.add(0, n);
        await().atMost(Duration.ofSeconds(120)).until(n::isRunning);
        return n;
    }

    public NotifierService notifier(WebhookReceiver receiver, Map<String, String> overrides, PresenceView presence) {
        NotifierService n = NotifierService.start(NotifierConfig.fromEnv(Env.of(notifierEnv(receiver, overrides))), presence);
        closeables.add(0, n);
        await().atMost(Duration.ofSeconds(120)).until(n::isRunning);
        return n;
    }

    public static WebhookReceiver receiver() {
        try {
            return new WebhookReceiver(dev.parley.notifier.delivery.WebhookEndpoint.key(SECRET));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public NotifierTopicNames notifierTopics(String applicationId) {
        return new NotifierTopicNames(names, applicationId);
    }

    /** Writes notifications straight to the notifications topic (as the Streams side would). */
    public void produce(String topic, List<Notification> notifications) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, Notification> producer = new KafkaProducer<>(p, new StringSerializer(),
                ParleyAvroSerde.forValue(Notification.class, SerdeConfig.forUrl(registry.url().toString())).serializer())) {
            notifications.forEach(n -> producer.send(new ProducerRecord<>(topic, n.getUser(), n)));
        }
    }

    /** Everything committed to the dead-letter topic so far. */
    public List<NotificationDeadLetter> deadLetters(String topic) {
        return readAll(topic, NotificationDeadLetter.class);
    }

    /** Everything committed to the notifications topic so far. */
    public List<Notification> notifications(String topic) {
        return readAll(topic, Notification.class);
    }

    public <T extends org.apache.avro.specific.SpecificRecord> List<T> readAll(String topic, Class<T> type) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, T> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                ParleyAvroSerde.forValue(type, SerdeConfig.forUrl(registry.url().toString())).deserializer())) {
            var parts = consumer.partitionsFor(topic).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            var end = consumer.endOffsets(parts);
            List<T> out = new ArrayList<>();
            while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, T> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
            }
            return out;
        }
    }

    public String token(String user) {
        return tokens.issue(user, Duration.ofHours(1));
    }

    private static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                // best effort
            }
        }
        registry.close();
    }
}
