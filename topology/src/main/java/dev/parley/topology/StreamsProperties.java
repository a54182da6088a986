package dev.parley.topology;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/** The Kafka Streams configuration of a topology instance, derived from {@link TopologyConfig}. */
public final class StreamsProperties {

    private StreamsProperties() {
    }

    public static Properties of(TopologyConfig c, String advertisedRpc) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, c.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, String.valueOf(c.commitInterval().toMillis()));
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, String.valueOf(c.standbyReplicas()));
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, String.valueOf(c.streamThreads()));
        p.put(StreamsConfig.STATE_DIR_CONFIG, c.stateDir().toAbsolutePath().toString());
        p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, advertisedRpc);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, String.valueOf(c.topicSettings().replicationFactor()));
        p.put(StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG), String.valueOf(c.topicSettings().minInsyncReplicas()));
        // Results and events must be durable before they are visible: acks=all is implied by EOS; say it anyway.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        // A transaction's first records often reach a partition whose previous commit markers are still being
        // written (KIP-890: CONCURRENT_TRANSACTIONS, retriable). With the default backoff (100 ms, doubling up to
        // 1 s) each such retry stalls the stream thread for several commit intervals; retry soon instead.
        // docs/benchmarks.md: W1 send->ack p99 847 -> 180 ms on the same noisy box.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), "5");
        p.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG), "50");
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // KIP-892: stores apply a transaction's writes only when it commits, and interactive queries read the
        // committed state only, so a query never serves a write that may still abort; after a crash the local
        // stores are kept instead of being wiped and restored. docs/architecture.md "Reads of committed state".
        p.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, "true");
        p.put(StreamsConfig.DEFAULT_INTERACTIVE_QUERY_ISOLATION_LEVEL_CONFIG, "READ_COMMITTED");
        // Anything the operator passes as PARLEY_KAFKA_* (security, tuning) wins.
        c.kafkaOverrides().forEach(p::put);
        return p;
    }
}
