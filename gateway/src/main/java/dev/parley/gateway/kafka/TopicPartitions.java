package dev.parley.gateway.kafka;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * A topic's partition count at start-up, asked again while Kafka does not know it yet. The producers of the ephemeral
 * path block at most a couple of seconds on metadata ({@code max.block.ms}), so that a write never holds up their
 * thread for long; at start-up that same bound made a gateway that started while a broker was away fail with
 * "Topic ... not present in metadata after 2000 ms" (seen in a chaos run restarting a gateway during a broker kill).
 */
public final class TopicPartitions {

    /** How long a gateway waits for the metadata of its topics at start-up. */
    public static final Duration AT_START = Duration.ofSeconds(60);

    private TopicPartitions() {
    }

    /**
     * @param partitionsFor e.g. {@code producer::partitionsFor}, which throws {@link TimeoutException} while the topic is
     *                      not in its metadata
     * @param attemptFailed told of each attempt that timed out (for tests and logs)
     * @return the topic's partition count (0 if Kafka says it has none)
     * @throws TimeoutException if the topic is still unknown after {@code patience}
     */
    public static int count(String topic, Function<String, List<PartitionInfo>> partitionsFor, Duration patience,
                            Runnable attemptFailed) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            try {
                List<PartitionInfo> partitions = partitionsFor.apply(topic);
                return partitions == null ? 0 : partitions.size();
            } catch (TimeoutException e) {
                attemptFailed.run();
                if (System.nanoTime() >= deadline) {
                    throw new TimeoutException("topic " + topic + " still unknown to Kafka after " + patience.toSeconds()
                            + " s: is the cluster reachable, and were the topics provisioned ('parley topics create')?", e);
                }
            }
        }
    }
}
