package dev.parley.api.presence;

import dev.parley.avro.presence.PresenceRecord;
import dev.parley.schemas.serde.ParleyAvroSerde;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a {@link ConnectionRegistry} from the registry topic: every partition from the beginning (the topic is
 * compacted and small), no consumer group, no offsets kept. Reports every change to a listener on its own thread,
 * and runs the registry's timeouts once a second.
 */
public final class RegistryTail implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryTail.class);
    private static final long EXPIRE_EVERY_MS = 500;

    private final KafkaConsumer<String, PresenceRecord> consumer;
    private final ConnectionRegistry registry;
    private final Consumer<List<PresenceChange>> listener;
    private final Clock clock;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Map<TopicPartition, Long> startEnd = new HashMap<>();
    private final Thread thread;

    /**
     * @param kafka    consumer settings (bootstrap servers and any security settings)
     * @param serde    the registry serde settings ({@code schema.registry.url}, ...)
     * @param listener gets the changes of each record and each timeout round, on the tail's thread
     */
    public RegistryTail(Map<String, Object> kafka, Map<String, Object> serde, String topic, String clientId,
                        ConnectionRegistry registry, Consumer<List<PresenceChange>> listener, Clock clock) {
        this.registry = registry;
        this.listener = listener;
        this.clock = clock;
        Map<String, Object> c = new HashMap<>(kafka);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        this.consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                ParleyAvroSerde.forValue(PresenceRecord.class, serde).deserializer());
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        if (infos == null || infos.isEmpty()) {
            consumer.close();
            throw new IllegalStateException("topic " + topic + " does not exist; provision the topics first ('parley topics create')");
        }
        List<TopicPartition> partitions = new ArrayList<>();
        infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        consumer.endOffsets(partitions).forEach((tp, end) -> {
            if (end > 0) {
                startEnd.put(tp, end);
            }
        });
        if (startEnd.isEmpty()) {
            caughtUp.countDown();
        }
        this.thread = new Thread(this::run, "parley-registry-" + clientId);
        thread.setDaemon(true);
        thread.start();
    }

    public ConnectionRegistry registry() {
        return registry;
    }

    /** Waits until everything that was in the topic when the tail started has been applied. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        try {
            long lastExpire = 0;
            while (running.get()) {
                try {
                    for (ConsumerRecord<String, PresenceRecord> r : consumer.poll(Duration.ofMillis(100))) {
                        if (r.key() == null) {
                            continue;
                        }
                        report(registry.apply(r.partition(), r.key(), r.value(), r.timestamp(), clock.millis()));
                    }
                } catch (RecordDeserializationException e) {
                    LOG.warn("skipping undecodable registry record {}@{}: {}", e.topicPartition(), e.offset(), e.getMessage());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
                if (caughtUp.getCount() > 0) {
                    startEnd.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
                    if (startEnd.isEmpty()) {
                        caughtUp.countDown();
                    }
                }
                long now = clock.millis();
                // A reader that fell behind (a pause, a burst) would judge gateways by heartbeats it has not read
                // yet: it expires nobody until it has caught up.
                if (now - lastExpire >= EXPIRE_EVERY_MS && !behind()) {
                    lastExpire = now;
                    report(registry.expire(now));
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("the registry tail stopped; presence is frozen until the process restarts", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private boolean behind() {
        for (TopicPartition tp : consumer.assignment()) {
            var lag = consumer.currentLag(tp);
            if (lag.isPresent() && lag.getAsLong() > 0) {
                return true;
            }
        }
        return false;
    }

    private void report(List<PresenceChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        try {
            listener.accept(changes);
        } catch (RuntimeException e) {
            LOG.error("a registry listener failed", e);
        }
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
