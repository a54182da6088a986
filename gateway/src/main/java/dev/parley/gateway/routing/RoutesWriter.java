package dev.parley.gateway.routing;

import dev.parley.gateway.kafka.EphemeralProducers;
import dev.parley.gateway.kafka.TopicPartitions;
import dev.parley.api.routing.RoutingKeys;
import dev.parley.avro.routing.RouteRecord;
import dev.parley.gateway.GatewayConfig;
import dev.parley.schemas.serde.ParleyAvroSerde;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes this gateway's routes: key {@code channel U+001F gateway}, to the channel's partition of the committed log
 * ({@link RoutingKeys#channelPartition}), value a {@link RouteRecord} with this gateway's incarnation and lease, or a
 * tombstone. A plain idempotent producer: never a transaction, never the command path's producer. A put that fails
 * is reported, to be written again; a removal that fails is left to expire by its lease.
 */
public final class RoutesWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RoutesWriter.class);

    private final String topic;
    private final String gateway;
    private final long incarnation;
    private final int leaseMs;
    private final int partitions;
    private final KafkaProducer<String, RouteRecord> producer;
    private final Consumer<String> failedPut;

    /** @param failedPut told (on the producer's thread) the channel whose route could not be written */
    public RoutesWriter(GatewayConfig config, long incarnation, Consumer<String> failedPut) {
        this.topic = config.topics().routes();
        this.gateway = config.gatewayId();
        this.incarnation = incarnation;
        this.leaseMs = (int) config.fanout().lease().toMillis();
        this.failedPut = failedPut;
        Map<String, Object> p = EphemeralProducers.settings(config, "routes");
        this.producer = new KafkaProducer<>(p, new StringSerializer(),
                ParleyAvroSerde.forValue(RouteRecord.class, config.serdeConfig()).serializer());
        int logPartitions;
        int routePartitions;
        try {
            logPartitions = TopicPartitions.count(config.topics().log(), producer::partitionsFor, TopicPartitions.AT_START, () -> { });
            routePartitions = TopicPartitions.count(topic, producer::partitionsFor, TopicPartitions.AT_START, () -> { });
        } catch (RuntimeException e) {
            producer.close();
            throw e;
        }
        if (routePartitions == 0 || routePartitions != logPartitions) {
            producer.close();
            throw new IllegalStateException("topic " + topic + " must exist with the partitions of " + config.topics().log()
                    + " (" + logPartitions + "), has " + routePartitions + "; provision the topics first ('parley topics create')");
        }
        this.partitions = logPartitions;
    }

    public long incarnation() {
        return incarnation;
    }

    public void write(RouteWrite w) {
        String channel = w.channel();
        RouteRecord value = w instanceof RouteWrite.Put
                ? new RouteRecord(channel, gateway, incarnation, Instant.now(), leaseMs) : null;
        String key = RoutingKeys.route(channel, gateway);
        try {
            producer.send(new ProducerRecord<>(topic, RoutingKeys.channelPartition(channel, partitions), key, value), (md, e) -> {
                if (e != null) {
                    failed(channel, value != null, e);
                }
            });
        } catch (RuntimeException e) {
            failed(channel, value != null, e);
        }
    }

    public void flush(Duration timeout) {
        try {
            CompletableFuture.runAsync(producer::flush).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("routes not flushed within {}: {}", timeout, e.toString());
        }
    }

    private void failed(String channel, boolean put, Exception e) {
        LOG.warn("route of {} for {} not {}: {}", channel, gateway, put ? "written" : "removed (it expires by its lease)", e.toString());
        if (put) {
            failedPut.accept(channel);
        }
    }

    /** Closes after sending what is buffered (at most {@code timeout}); {@link Duration#ZERO} drops it. */
    public void close(Duration timeout) {
        producer.close(timeout);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
