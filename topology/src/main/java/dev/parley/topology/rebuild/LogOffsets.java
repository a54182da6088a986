package dev.parley.topology.rebuild;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** End offsets of topics, and whether a topic holds any committed record: what the state guard and the rebuild check. */
final class LogOffsets {

    private static final long TIMEOUT_S = 60;

    private LogOffsets() {
    }

    /** The last stable offset of every partition of {@code topic}; empty if the topic does not exist. */
    static Map<TopicPartition, Long> committedEnds(Admin admin, String topic) {
        try {
            if (!admin.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS).contains(topic)) {
                return Map.of();
            }
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT_S, TimeUnit.SECONDS)
                    .get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            ListOffsetsResult result = admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED));
            Map<TopicPartition, Long> out = new HashMap<>();
            for (var e : result.all().get(TIMEOUT_S, TimeUnit.SECONDS).entrySet()) {
                out.put(e.getKey(), e.getValue().offset());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the offsets of " + topic, e);
        } catch (Exception e) {
            throw new IllegalStateException("could not read the offsets of " + topic + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether {@code topic} holds at least one committed record (an offset range can consist of aborted records
     * and transaction markers only: those do not count).
     */
    static boolean hasCommittedRecords(String bootstrapServers, Map<String, String> overrides, Map<TopicPartition, Long> ends) {
        List<TopicPartition> nonEmpty = new ArrayList<>();
        ends.forEach((tp, end) -> {
            if (end > 0) {
                nonEmpty.add(tp);
            }
        });
        if (nonEmpty.isEmpty()) {
            return false;
        }
        Map<String, Object> c = new HashMap<>(overrides);
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(nonEmpty);
            consumer.seekToBeginning(nonEmpty);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
            while (System.nanoTime() < deadline) {
                if (!consumer.poll(Duration.ofMillis(200)).isEmpty()) {
                    return true;
                }
                boolean atEnd = true;
                for (TopicPartition tp : nonEmpty) {
                    atEnd &= consumer.position(tp) >= ends.get(tp);
                }
                if (atEnd) {
                    return false;
                }
            }
            throw new IllegalStateException("could not read " + nonEmpty + " within " + TIMEOUT_S + " s");
        }
    }
}
