package dev.parley.gateway.typing;

import dev.parley.avro.typing.TypingEvent;
import dev.parley.gateway.GatewayConfig;
import dev.parley.schemas.serde.ParleyAvroSerde;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Typing indicators between gateways over the typing topic: at most once, as fast as Kafka goes. The producer
 * is neither idempotent nor transactional (acks=1, linger 0, no retries worth waiting for) and never blocks a
 * connection's thread; the consumer reads every partition from the end, without a group or offsets.
 */
public final class TypingBus implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TypingBus.class);

    private final String topic;
    private final KafkaProducer<String, TypingEvent> producer;
    private final KafkaConsumer<String, TypingEvent> consumer;
    private final Consumer<TypingEvent> sink;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    public TypingBus(GatewayConfig config, Consumer<TypingEvent> sink) {
        this.topic = config.topics().typing();
        this.sink = sink;
        var serde = ParleyAvroSerde.forValue(TypingEvent.class, config.serdeConfig());
        Map<String, Object> p = new HashMap<>(config.kafkaOverrides());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.RETRIES_CONFIG, 0);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 2_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 50);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 4L << 20);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "parley-" + config.gatewayId() + "-typing");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), serde.serializer());

        Map<String, Object> c = new HashMap<>(config.kafkaOverrides());
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "parley-" + config.gatewayId() + "-typing-tail");
        this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), serde.deserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(topic)) {
            partitions.add(new TopicPartition(info.topic(), info.partition()));
        }
        if (partitions.isEmpty()) {
            consumer.close();
            producer.close();
            throw new IllegalStateException("topic " + topic + " does not exist; provision the topics first ('parley topics create')");
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        this.thread = new Thread(this::run, "parley-typing-" + config.gatewayId());
        thread.setDaemon(true);
        thread.start();
    }

    /** Sends an indicator to the other gateways; dropped (and logged at debug) if Kafka cannot take it now. */
    public void publish(TypingEvent e) {
        try {
            producer.send(new ProducerRecord<>(topic, null, e.getTimestamp().toEpochMilli(), e.getChannel(), e), (md, error) -> {
                if (error != null) {
                    LOG.debug("typing indicator for {} dropped: {}", e.getChannel(), error.toString());
                }
            });
        } catch (RuntimeException error) {
            LOG.debug("typing indicator for {} dropped: {}", e.getChannel(), error.toString());
        }
    }

    private void run() {
        try {
            while (running.get()) {
                try {
                    for (ConsumerRecord<String, TypingEvent> r : consumer.poll(Duration.ofMillis(100))) {
                        if (r.value() != null) {
                            sink.accept(r.value());
                        }
                    }
                } catch (RecordDeserializationException e) {
                    LOG.warn("skipping undecodable typing record {}@{}: {}", e.topicPartition(), e.offset(), e.getMessage());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("typing tail stopped; typing indicators from other gateways are lost until restart", e);
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
        producer.close(Duration.ofSeconds(2));
    }
}
