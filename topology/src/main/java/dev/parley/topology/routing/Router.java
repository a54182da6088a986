package dev.parley.topology.routing;

import dev.parley.topology.TopologyConfig;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router running beside the topology in its process: a second, at-least-once Kafka Streams application
 * ({@link RouterTopology}) with its own application id and consumer group, started and stopped by
 * {@code TopologyService}. At-least-once is enough: a gateway drops what it already has by seq.
 */
public final class Router implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    private final KafkaStreams streams;

    private Router(KafkaStreams streams) {
        this.streams = streams;
    }

    /** Builds and starts the router (returns without waiting for RUNNING). */
    public static Router start(TopologyConfig topology, RouterConfig config, RouterMetrics metrics) {
        KafkaStreams streams = new KafkaStreams(RouterTopology.build(topology.topics(), topology.serdeConfig(), metrics, config.expiryInterval()),
                properties(topology, config));
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("router thread failed; replacing it (records since the last commit are routed again)", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> LOG.info("router {} -> {}", before, now));
        streams.start();
        LOG.info("router {} started: {} thread(s), commit interval {} ms", RouterConfig.applicationId(topology.applicationId()),
                config.threads(), config.commitInterval().toMillis());
        return new Router(streams);
    }

    /** The router's Streams configuration: the topology's cluster, security and state dir; at-least-once. */
    public static Properties properties(TopologyConfig topology, RouterConfig config) {
        Properties p = new Properties();
        // What the operator passes as PARLEY_KAFKA_* (security, timeouts) applies here too; the router's own
        // guarantee, commit interval, threads and ids below win.
        topology.kafkaOverrides().forEach(p::put);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, RouterConfig.applicationId(topology.applicationId()));
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, topology.bootstrapServers());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, String.valueOf(config.commitInterval().toMillis()));
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, String.valueOf(config.threads()));
        p.put(StreamsConfig.STATE_DIR_CONFIG, topology.stateDir().toAbsolutePath().toString()); // under <state dir>/<app id>-router
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, String.valueOf(topology.topicSettings().replicationFactor()));
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, String.valueOf(topology.standbyReplicas()));
        p.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
        p.put(StreamsConfig.producerPrefix(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG), "true");
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        // A copy is on a gateway's path to its clients: batch briefly (Streams' default linger is 100 ms).
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), "5");
        // Only committed events are routed: the log is written in transactions.
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
        return p;
    }

    public KafkaStreams streams() {
        return streams;
    }

    public boolean isRunning() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    @Override
    public void close() {
        streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    }
}
