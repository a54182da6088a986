package dev.parley.gateway.presence;

import dev.parley.gateway.kafka.EphemeralProducers;
import dev.parley.gateway.kafka.TopicPartitions;
import dev.parley.api.presence.PresenceKeys;
import dev.parley.api.presence.PresenceStatus;
import dev.parley.avro.presence.GatewayHeartbeat;
import dev.parley.avro.presence.PresenceRecord;
import dev.parley.avro.presence.UserConnections;
import dev.parley.avro.presence.UserStatus;
import dev.parley.gateway.GatewayConfig;
import dev.parley.schemas.serde.ParleyAvroSerde;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
 * Writes this gateway's part of the connection registry: entries keyed (user, gateway) to the user's partition,
 * heartbeats to every partition, tombstones. A plain idempotent producer: never a transaction, never the command
 * path's producer. A write that fails is logged and left: the next change or heartbeat rewrites the state.
 */
public final class RegistryWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryWriter.class);

    private final String topic;
    private final String gateway;
    private final long incarnation;
    private final int intervalMs;
    private final int partitions;
    private final KafkaProducer<String, PresenceRecord> producer;
    private final Consumer<String> failedUser;

    /** @param failedUser told (on the producer's thread) the user whose entry or removal could not be written */
    public RegistryWriter(GatewayConfig config, long incarnation, Consumer<String> failedUser) {
        this.failedUser = failedUser;
        this.topic = config.topics().presence();
        this.gateway = config.gatewayId();
        this.incarnation = incarnation;
        this.intervalMs = (int) config.presence().heartbeat().toMillis();
        Map<String, Object> p = EphemeralProducers.settings(config, "presence");
        this.producer = new KafkaProducer<>(p, new StringSerializer(),
                ParleyAvroSerde.forValue(PresenceRecord.class, config.serdeConfig()).serializer());
        try {
            this.partitions = TopicPartitions.count(topic, producer::partitionsFor, TopicPartitions.AT_START, () -> { });
        } catch (RuntimeException e) {
            producer.close();
            throw e;
        }
        if (partitions == 0) {
            producer.close();
            throw new IllegalStateException("topic " + topic + " does not exist; provision the topics first ('parley topics create')");
        }
    }

    public long incarnation() {
        return incarnation;
    }

    public void write(LocalPresence.Write w) {
        if (w instanceof LocalPresence.Put put) {
            UserConnections body = new UserConnections(put.user(), put.devices(),
                    put.status() == PresenceStatus.AWAY ? UserStatus.AWAY : UserStatus.ONLINE, Instant.ofEpochMilli(put.lastActiveAt()));
            send(PresenceKeys.partitionOf(put.user(), partitions), PresenceKeys.entry(put.user(), gateway), record(body), put.user());
        } else {
            remove(w.user());
        }
    }

    /** Removes the user's entry of this gateway (any incarnation: the key is the same). */
    public void remove(String user) {
        send(PresenceKeys.partitionOf(user, partitions), PresenceKeys.entry(user, gateway), null, user);
    }

    public void heartbeat(int users, int connections) {
        PresenceRecord beat = record(new GatewayHeartbeat(intervalMs, users, connections));
        for (int p = 0; p < partitions; p++) {
            send(p, PresenceKeys.heartbeat(gateway), beat, null);
        }
    }

    /** A clean stop: the entries' tombstones, then the heartbeat's in every partition (after them in each), flushed. */
    public void stopped(List<LocalPresence.Remove> entries, Duration timeout) {
        entries.forEach(this::write);
        for (int p = 0; p < partitions; p++) {
            send(p, PresenceKeys.heartbeat(gateway), null, null);
        }
        flush(timeout);
    }

    public void flush(Duration timeout) {
        try {
            CompletableFuture.runAsync(producer::flush).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("presence records not flushed within {}: {}", timeout, e.toString());
        }
    }

    private PresenceRecord record(Object body) {
        return new PresenceRecord(gateway, incarnation, Instant.now(), body);
    }

    private void send(int partition, String key, PresenceRecord value, String user) {
        try {
            producer.send(new ProducerRecord<>(topic, partition, key, value), (md, e) -> {
                if (e != null) {
                    failed(key, user, e);
                }
            });
        } catch (RuntimeException e) {
            failed(key, user, e);
        }
    }

    private void failed(String key, String user, Exception e) {
        LOG.warn("presence record {} not written: {}", key.replace(PresenceKeys.SEPARATOR, '/'), e.toString());
        if (user != null) {
            failedUser.accept(user);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
