package dev.parley.ops.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.UpdateFeaturesOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local runner's broker: real KRaft node on ephemeral ports in a temp dir. One broker runs at a time;
 * the restart half of the test starts a second one on the same data dir after the first has stopped.
 */
class EmbeddedKafkaBrokerTest {

    private static final String TOPIC = "ops-broker-test";

    @TempDir
    Path dataDir;

    @Test
    void transactionsWorkOnTransactionVersion2AndARestartKeepsRecordsAndRestoresVersion2() throws Exception {
        String clusterId;
        int firstClientPort;
        int firstControllerPort;

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerSettings.ephemeral(dataDir))) {
            assertThat(broker.formattedNow()).isTrue();
            assertThat(broker.clientPort()).isPositive();
            assertThat(broker.controllerPort()).isPositive().isNotEqualTo(broker.clientPort());
            assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + broker.clientPort());
            assertThat(Files.exists(dataDir.resolve("kafka").resolve("meta.properties"))).isTrue();
            assertThatThrownBy(() -> EmbeddedKafkaBroker.start(BrokerSettings.ephemeral(dataDir)))
                    .isInstanceOf(BrokerStartException.class)
                    .hasMessageContaining("is in use by another running Parley broker")
                    .hasMessageContaining("--data-dir");
            clusterId = broker.clusterId();
            firstClientPort = broker.clientPort();
            firstControllerPort = broker.controllerPort();

            try (Admin admin = Admin.create(broker.clientProps())) {
                FeatureMetadata features = admin.describeFeatures().featureMetadata().get();
                assertThat(EmbeddedKafkaBroker.finalizedLevel(features, "transaction.version")).isEqualTo((short) 2);
                assertThat(broker.transactionVersion()).isEqualTo((short) 2);
                assertThat(admin.describeCluster().clusterId().get()).isEqualTo(clusterId);
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
            }

            try (KafkaProducer<String, String> producer = transactionalProducer(broker.bootstrapServers())) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(TOPIC, "channel-1", "aborted-message"));
                producer.flush();
                producer.abortTransaction();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(TOPIC, "channel-1", "committed-message"));
                producer.commitTransaction();
            }

            assertThat(readCommitted(broker.bootstrapServers(), 1)).containsExactly("channel-1=committed-message");

            // Leave the cluster on an older transaction protocol: the next start must bring it back to 2.
            try (Admin admin = Admin.create(broker.clientProps())) {
                admin.updateFeatures(Map.of("transaction.version",
                        new FeatureUpdate((short) 1, FeatureUpdate.UpgradeType.SAFE_DOWNGRADE)),
                        new UpdateFeaturesOptions()).all().get();
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(EmbeddedKafkaBroker.finalizedLevel(
                        admin.describeFeatures().featureMetadata().get(), "transaction.version")).isEqualTo((short) 1));
            }
        }

        assertPortFree(firstClientPort);
        assertPortFree(firstControllerPort);

        try (EmbeddedKafkaBroker again = EmbeddedKafkaBroker.start(BrokerSettings.ephemeral(dataDir))) {
            assertThat(again.formattedNow()).isFalse();
            assertThat(again.clusterId()).isEqualTo(clusterId);
            assertThat(again.transactionVersion()).isEqualTo((short) 2);
            try (Admin admin = Admin.create(again.clientProps())) {
                assertThat(EmbeddedKafkaBroker.finalizedLevel(admin.describeFeatures().featureMetadata().get(),
                        "transaction.version")).isEqualTo((short) 2);
                assertThat(admin.listTopics().names().get()).contains(TOPIC);
            }
            assertThat(readCommitted(again.bootstrapServers(), 1)).containsExactly("channel-1=committed-message");
        }
    }

    @Test
    void aClientPortInUseFailsBeforeTouchingTheDataDirWithAMessageNamingTheFlag() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            BrokerSettings settings = BrokerSettings.ephemeral(dataDir).withPorts(taken.getLocalPort(), 0);
            assertThatThrownBy(() -> EmbeddedKafkaBroker.start(settings))
                    .isInstanceOf(BrokerStartException.class)
                    .hasMessageContaining("Kafka client port " + taken.getLocalPort())
                    .hasMessageContaining("already in use")
                    .hasMessageContaining("--kafka-port")
                    .hasMessageContaining("PARLEY_KAFKA_PORT");
            assertThat(dataDir.resolve("kafka")).doesNotExist();
        }
    }

    private static KafkaProducer<String, String> transactionalProducer(String bootstrap) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "ops-broker-test-" + UUID.randomUUID());
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    /**
     * Reads the topic from the beginning with read_committed until {@code expected} records arrived. The
     * aborted record sits before the committed one, so it would be the first one seen if it leaked.
     */
    private static List<String> readCommitted(String bootstrap, int expected) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "ops-broker-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(r.key() + "=" + r.value());
                }
                return seen.size() >= expected;
            });
        }
        return seen;
    }

    private static void assertPortFree(int port) throws IOException {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThat(s.getLocalPort()).isEqualTo(port);
        }
    }
}
