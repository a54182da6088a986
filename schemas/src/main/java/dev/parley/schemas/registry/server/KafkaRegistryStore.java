package dev.parley.schemas.registry.server;

import dev.parley.schemas.registry.RegistryException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the registry's records in a compacted, single-partition Kafka topic. On open it reads the topic to
 * its end, applying every record to the state; afterwards one reader thread keeps applying what is appended.
 * {@link #append} produces with {@code acks=all} and idempotence, then waits until that reader has consumed
 * the records back, so the state (and every answer given to a client) is what the log holds.
 *
 * <p>One writing instance per topic is supported: ids and versions are assigned by the writer from its
 * state, without fencing against a second writer.
 */
final class KafkaRegistryStore implements RegistryStore {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaRegistryStore.class);

    private final String topic;
    private final TopicPartition partition;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Consumer<RegistryRecord> sink;
    private final Duration writeTimeout;
    private final Thread reader;
    private final Object progress = new Object();
    private long nextOffset; // guarded by progress: offset after the last record applied
    private Throwable readerFailure; // guarded by progress
    private volatile boolean closing;

    private KafkaRegistryStore(String bootstrapServers, String topic, Duration writeTimeout, Consumer<RegistryRecord> sink) {
        this.topic = topic;
        this.partition = new TopicPartition(topic, 0);
        this.sink = sink;
        this.writeTimeout = writeTimeout;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, "parley-registry-writer",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, writeTimeout.toMillis()),
                new ByteArraySerializer(), new ByteArraySerializer());
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "parley-registry-reader",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.reader = new Thread(this::readLoop, "parley-registry-reader-" + topic);
        this.reader.setDaemon(true);
    }

    /**
     * Creates the topic if absent, reads it to its end into {@code sink}, and keeps following it.
     *
     * @throws IllegalStateException when the topic is unusable or cannot be read within {@code initTimeout}
     */
    static KafkaRegistryStore open(String bootstrapServers, String topic, short replicationFactor, Duration writeTimeout,
                                   Duration initTimeout, Consumer<RegistryRecord> sink) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) initTimeout.toMillis()))) {
            RegistryTopic.ensure(admin, topic, replicationFactor, initTimeout.toMillis());
        }
        KafkaRegistryStore store = new KafkaRegistryStore(bootstrapServers, topic, writeTimeout, sink);
        try {
            store.start(initTimeout);
            return store;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    private void start(Duration initTimeout) {
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        long end = consumer.endOffsets(List.of(partition), initTimeout).get(partition);
        reader.start();
        if (!awaitApplied(end - 1, initTimeout)) {
            throw new IllegalStateException("could not read the registry topic " + topic + " to its end (offset " + end
                    + ") within " + initTimeout + failureText());
        }
        LOG.info("registry state loaded from {} up to offset {}", topic, end);
    }

    @Override
    public void append(List<RegistryRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try {
            for (RegistryRecord r : records) {
                sent.add(producer.send(new ProducerRecord<>(topic, 0, RecordCodec.key(r), RecordCodec.value(r))));
            }
            long last = -1;
            for (Future<RecordMetadata> f : sent) {
                last = Math.max(last, f.get(writeTimeout.toMillis(), TimeUnit.MILLISECONDS).offset());
            }
            if (!awaitApplied(last, writeTimeout)) {
                throw new RegistryException(500, 50002, "the write to " + topic + " at offset " + last
                        + " was stored but not read back within " + writeTimeout + failureText());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(500, RegistryException.STORE_ERROR, "interrupted while writing to " + topic);
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new RegistryException(500, RegistryException.STORE_ERROR, "could not write to the registry topic "
                    + topic + ": " + cause.getClass().getSimpleName() + ": " + cause.getMessage());
        }
    }

    /** Waits until the record at {@code offset} has been applied; false on timeout or reader failure. */
    private boolean awaitApplied(long offset, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (nextOffset <= offset && readerFailure == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(progress, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return nextOffset > offset;
        }
    }

    private String failureText() {
        synchronized (progress) {
            return readerFailure == null ? "" : " (the reader failed: " + readerFailure + ")";
        }
    }

    private void readLoop() {
        try {
            while (!closing) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    apply(record);
                }
                long position = consumer.position(partition);
                synchronized (progress) {
                    if (position != nextOffset) {
                        nextOffset = position;
                        progress.notifyAll();
                    }
                }
            }
        } catch (WakeupException e) {
            if (!closing) {
                fail(e);
            }
        } catch (Throwable t) {
            fail(t);
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        Optional<RegistryRecord> decoded;
        try {
            decoded = RecordCodec.decode(record.key(), record.value());
        } catch (RuntimeException e) {
            LOG.error("skipping record at offset {} of {}: {}", record.offset(), topic, e.getMessage());
            return;
        }
        decoded.ifPresent(sink);
    }

    private void fail(Throwable t) {
        LOG.error("the registry reader of {} stopped; writes will fail until restart", topic, t);
        synchronized (progress) {
            readerFailure = t;
            progress.notifyAll();
        }
    }

    @Override
    public void close() {
        closing = true;
        if (reader.isAlive()) {
            consumer.wakeup();
            try {
                reader.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
        producer.close(Duration.ofSeconds(5));
    }
}
