package dev.parley.gateway.kafka;

import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.user.UserEvent;
import org.apache.avro.specific.SpecificRecord;
import dev.parley.gateway.GatewayConfig;
import dev.parley.schemas.serde.ParleyAvroSerde;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
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
 * Tails a topic the topology writes transactionally (read_committed, every partition, from the end at start-up)
 * and hands each value, in partition order, to a sink: the committed log's events to the hub, and the user
 * events (read cursors) to the hub as well. A gateway keeps no offsets: what happened before it started is
 * served by the topology's queries when a client resumes.
 */
public final class LogTail<V extends SpecificRecord> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LogTail.class);

    private final KafkaConsumer<String, V> consumer;
    private final Consumer<V> sink;
    private final Runnable afterRead;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong lag = new AtomicLong();
    private final AtomicLong events = new AtomicLong();
    private final CountDownLatch positioned = new CountDownLatch(1);
    private final List<TopicPartition> partitions = new ArrayList<>();
    private final Thread thread;

    /**
     * The committed log, to {@code sink} in log order; {@code afterRead} runs after the events of each read of the
     * log were handed over (the hub sends the batches they completed).
     */
    public static LogTail<ChannelEvent> ofLog(GatewayConfig config, Consumer<ChannelEvent> sink, Runnable afterRead) {
        return new LogTail<>(config, config.topics().log(), ChannelEvent.class, "log", sink, afterRead);
    }

    /** The user events (changes of a user's own state), to {@code sink}. */
    public static LogTail<UserEvent> ofUserEvents(GatewayConfig config, Consumer<UserEvent> sink) {
        return new LogTail<>(config, config.topics().userEvents(), UserEvent.class, "user-events", sink, () -> { });
    }

    private LogTail(GatewayConfig config, String topic, Class<V> type, String name, Consumer<V> sink, Runnable afterRead) {
        this.sink = sink;
        this.afterRead = afterRead;
        Map<String, Object> c = new HashMap<>(config.kafkaOverrides());
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "parley-" + config.gatewayId() + "-" + name);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        var serde = ParleyAvroSerde.forValue(type, config.serdeConfig());
        this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), serde.deserializer());
        for (PartitionInfo p : consumer.partitionsFor(topic)) {
            partitions.add(new TopicPartition(p.topic(), p.partition()));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        positioned.countDown();
        this.thread = new Thread(this::run, "parley-" + name + "-tail-" + config.gatewayId());
        thread.setDaemon(true);
        thread.start();
    }

    /** Records between this gateway's position and the end of the log, summed over partitions. */
    public long lag() {
        return lag.get();
    }

    public long eventsSeen() {
        return events.get();
    }

    private void run() {
        try {
            long lastLagCheck = 0;
            while (running.get()) {
                try {
                    for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(100))) {
                        if (r.value() != null) {
                            events.incrementAndGet();
                            sink.accept(r.value());
                        }
                    }
                } catch (RecordDeserializationException e) {
                    LOG.warn("skipping undecodable log record {}@{} (the topology dead-letters it): {}", e.topicPartition(),
                            e.offset(), e.getMessage());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                } finally {
                    afterRead.run();
                }
                long now = System.currentTimeMillis();
                if (now - lastLagCheck > 1000) {
                    lastLagCheck = now;
                    long total = 0;
                    for (TopicPartition tp : partitions) {
                        var l = consumer.currentLag(tp);
                        total += l.isPresent() ? l.getAsLong() : 0;
                    }
                    lag.set(total);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("tail of {} stopped; live delivery is down until the gateway restarts", partitions, e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
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
