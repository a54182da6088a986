package dev.parley.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.testkit.KafkaTestCluster;
import dev.parley.testkit.SharedKafka;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A gateway's start-up waits for topic metadata Kafka does not have yet, instead of failing after max.block.ms. */
@ExtendWith(SharedKafka.class)
class TopicPartitionsIT {

    @Test
    void aTopicUnknownAtFirstIsCountedOnceKafkaKnowsIt(KafkaTestCluster kafka) throws Exception {
        String topic = "topic-partitions-it-" + UUID.randomUUID();
        Map<String, Object> p = new HashMap<>(kafka.clientProps());
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 300); // the ephemeral path's producers block briefly on metadata
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            // What a gateway's start-up did before: one attempt, and the gateway failed to start.
            assertThatThrownBy(() -> producer.partitionsFor(topic)).isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("not present in metadata");

            CountDownLatch failedOnce = new CountDownLatch(1);
            CompletableFuture<Integer> count = CompletableFuture.supplyAsync(() ->
                    TopicPartitions.count(topic, producer::partitionsFor, Duration.ofSeconds(60), failedOnce::countDown));
            assertThat(failedOnce.await(30, TimeUnit.SECONDS)).as("an attempt timed out while the topic did not exist").isTrue();
            assertThat(count).isNotDone();
            kafka.admin().createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
            assertThat(count.get(60, TimeUnit.SECONDS)).isEqualTo(3);
        }
    }

    @Test
    void aTopicThatNeverComesFailsWithAClearMessageAfterThePatience(KafkaTestCluster kafka) {
        Map<String, Object> p = new HashMap<>(kafka.clientProps());
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 200);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            assertThatThrownBy(() -> TopicPartitions.count("never-" + UUID.randomUUID(), producer::partitionsFor,
                    Duration.ofMillis(500), () -> { }))
                    .isInstanceOf(TimeoutException.class).hasMessageContaining("parley topics create");
        }
    }
}
