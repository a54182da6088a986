package dev.parley.gateway.kafka;

import dev.parley.api.CommandKeys;
import dev.parley.avro.command.CommandEnvelope;
import dev.parley.avro.result.CommandResult;
import dev.parley.gateway.GatewayConfig;
import dev.parley.schemas.serde.ParleyAvroSerde;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's write path: produces commands (idempotent producer, acks=all, keyed by channel) and
 * completes each with its result, read from this gateway's results partition with read_committed, so a
 * result is seen only once the transaction that wrote its event committed.
 */
public final class CommandBus implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CommandBus.class);

    private final GatewayConfig config;
    private final KafkaProducer<String, CommandEnvelope> producer;
    private final KafkaConsumer<String, CommandResult> results;
    private final PendingResults pending;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread listener;
    private final int resultsPartition;

    public CommandBus(GatewayConfig config) {
        this.config = config;
        this.pending = new PendingResults(config.sendTimeout());
        Map<String, Object> p = new HashMap<>(config.kafkaOverrides());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "parley-" + config.gatewayId() + "-commands");
        var commandSerde = ParleyAvroSerde.forValue(CommandEnvelope.class, config.serdeConfig());
        this.producer = new KafkaProducer<>(p, new StringSerializer(), commandSerde.serializer());

        Map<String, Object> c = new HashMap<>(config.kafkaOverrides());
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "parley-" + config.gatewayId() + "-results");
        var resultSerde = ParleyAvroSerde.forValue(CommandResult.class, config.serdeConfig());
        this.results = new KafkaConsumer<>(c, new StringDeserializer(), resultSerde.deserializer());
        int partitions = results.partitionsFor(config.topics().results()).size();
        this.resultsPartition = ResultsPartition.of(config.gatewayId(), partitions);
        TopicPartition tp = new TopicPartition(config.topics().results(), resultsPartition);
        results.assign(List.of(tp));
        results.seekToEnd(List.of(tp));
        results.position(tp); // fix the start before any command is sent: no result can be missed
        this.listener = new Thread(this::listen, "parley-results-" + config.gatewayId());
        listener.setDaemon(true);
        listener.start();
        LOG.info("gateway {} reads its results from {}-{}", config.gatewayId(), config.topics().results(), resultsPartition);
    }

    /**
     * Sends a command; the future completes with its committed result, or fails with a TimeoutException
     * (no result in time: the client retries with the same idempotency key) or the producer's error.
     */
    public CompletableFuture<CommandResult> submit(CommandEnvelope command) {
        CompletableFuture<CommandResult> result = pending.await(command.getRequestId());
        producer.send(new ProducerRecord<>(config.topics().commands(), null, command.getTimestamp().toEpochMilli(),
                CommandKeys.keyOf(command), command), (md, error) -> {
                    if (error != null) {
                        pending.fail(command.getRequestId(), error);
                    }
                });
        return result;
    }

    public int resultsPartition() {
        return resultsPartition;
    }

    public int pendingCount() {
        return pending.size();
    }

    /** Age of the oldest command waiting for its result, ms (sampled for shedding). */
    public long oldestPendingMillis() {
        return pending.oldestMillis();
    }

    private void listen() {
        try {
            while (running.get()) {
                try {
                    for (ConsumerRecord<String, CommandResult> r : results.poll(Duration.ofMillis(200))) {
                        if (r.value() != null && config.gatewayId().equals(r.value().getGatewayId())) {
                            pending.complete(r.value());
                        }
                    }
                } catch (RecordDeserializationException e) {
                    // Not a result this gateway can read (the topology never writes such a thing): skip it.
                    LOG.warn("skipping undecodable result at {}@{}: {}", e.topicPartition(), e.offset(), e.getMessage());
                    results.seek(e.topicPartition(), e.offset() + 1);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("results listener of gateway {} stopped", config.gatewayId(), e);
        } finally {
            results.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void close() {
        running.set(false);
        results.wakeup();
        try {
            listener.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
