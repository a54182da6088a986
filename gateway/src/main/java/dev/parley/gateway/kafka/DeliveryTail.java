package dev.parley.gateway.kafka;

import dev.parley.api.routing.RoutingKeys;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.routing.RouteStarted;
import dev.parley.avro.routing.RoutedEvent;
import dev.parley.avro.routing.RoutedRecord;
import dev.parley.gateway.GatewayConfig;
import dev.parley.schemas.serde.ParleyAvroSerde;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routed fan-out's reading side: tails this gateway's one partition of the deliveries
 * ({@link RoutingKeys#gatewayPartition}), from its end at start-up, and decodes a record only when it is for this
 * gateway (its key is this gateway's id) or for every gateway ({@code *}: events that change membership); the records
 * of the other gateways that share the partition are skipped by their key. A routed event is the committed log's
 * record byte for byte: decoded with the log's serde and handed to the sink in the channel's order; a route-started
 * marker of this gateway's current incarnation is handed over too. The sink's {@code endOfRead} runs after each read.
 */
public final class DeliveryTail implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryTail.class);

    /** Where the deliveries go, on the tail's thread. */
    public interface Sink {
        /** A committed event of a channel this gateway follows, or one that changes a channel's membership. */
        void event(ChannelEvent event);

        /** The router copies the channel's events here from after {@code head} on. */
        void routeStarted(String channel, long head);

        /** One read of the partition was handed over. */
        void endOfRead();
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final Deserializer<RoutedRecord> routed;
    private final Deserializer<ChannelEvent> events;
    private final Sink sink;
    private final String gateway;
    private final long incarnation;
    private final String topic;
    private final String logTopic;
    private final TopicPartition partition;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong lag = new AtomicLong();
    private final AtomicLong eventsSeen = new AtomicLong();
    private final AtomicLong decoded = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong routesStarted = new AtomicLong();
    private final Thread thread;

    /** @param incarnation this gateway process's, as in its routes: markers of an earlier one are ignored */
    public DeliveryTail(GatewayConfig config, long incarnation, Sink sink) {
        this.sink = sink;
        this.gateway = config.gatewayId();
        this.incarnation = incarnation;
        this.topic = config.topics().deliveries();
        this.logTopic = config.topics().log();
        Map<String, Object> c = new HashMap<>(config.kafkaOverrides());
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "parley-" + gateway + "-deliveries");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        this.routed = ParleyAvroSerde.forValue(RoutedRecord.class, config.serdeConfig()).deserializer();
        this.events = ParleyAvroSerde.forValue(ChannelEvent.class, config.serdeConfig()).deserializer();
        this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        int partitions = consumer.partitionsFor(topic).size();
        if (partitions == 0) {
            consumer.close();
            throw new IllegalStateException("topic " + topic + " does not exist; provision the topics first ('parley topics create')");
        }
        this.partition = new TopicPartition(topic, RoutingKeys.gatewayPartition(gateway, partitions));
        consumer.assign(List.of(partition));
        consumer.seekToEnd(List.of(partition));
        consumer.position(partition); // positioned before any route is written: no marker can go by unseen
        this.thread = new Thread(this::run, "parley-deliveries-tail-" + gateway);
        thread.setDaemon(true);
        thread.start();
    }

    /** The partition of the deliveries this gateway reads. */
    public TopicPartition partition() {
        return partition;
    }

    /** Records between this gateway's position and the end of its partition. */
    public long lag() {
        return lag.get();
    }

    /** Routed events handed to the sink (repeats included: the sink drops those). */
    public long eventsSeen() {
        return eventsSeen.get();
    }

    /** Records whose value was decoded: for this gateway or for every gateway. */
    public long decoded() {
        return decoded.get();
    }

    /** Records skipped by their key: for other gateways that share the partition. */
    public long skipped() {
        return skipped.get();
    }

    /** Route-started markers of this gateway's incarnation handed to the sink. */
    public long routesStarted() {
        return routesStarted.get();
    }

    private void run() {
        try {
            long lastLagCheck = 0;
            while (running.get()) {
                try {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        take(r);
                    }
                } finally {
                    sink.endOfRead();
                }
                long now = System.currentTimeMillis();
                if (now - lastLagCheck > 1000) {
                    lastLagCheck = now;
                    var l = consumer.currentLag(partition);
                    lag.set(l.isPresent() ? l.getAsLong() : 0);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("tail of {} stopped; live delivery is down until the gateway restarts", partition, e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void take(ConsumerRecord<String, byte[]> r) {
        String key = r.key();
        if (r.value() == null || !(gateway.equals(key) || RoutingKeys.EVERY_GATEWAY.equals(key))) {
            skipped.incrementAndGet();
            return;
        }
        RoutedRecord delivery;
        ChannelEvent event = null;
        try {
            delivery = routed.deserialize(topic, r.value());
            if (delivery.getBody() instanceof RoutedEvent e) {
                event = events.deserialize(logTopic, bytes(e.getEvent()));
            }
        } catch (RuntimeException e) {
            LOG.warn("skipping undecodable delivery {}@{}: {}", partition, r.offset(), e.toString());
            return;
        } finally {
            decoded.incrementAndGet();
        }
        if (event != null) {
            sink.event(event);
            eventsSeen.incrementAndGet();
        } else if (delivery.getBody() instanceof RouteStarted started && started.getGateway().equals(gateway)
                && started.getIncarnation() == incarnation) {
            sink.routeStarted(delivery.getChannel(), started.getHead());
            routesStarted.incrementAndGet();
        }
    }

    /** The log record's bytes: Avro decodes a bytes field into a buffer over an array of its own, used as it is. */
    private static byte[] bytes(ByteBuffer b) {
        if (b.hasArray() && b.arrayOffset() == 0 && b.position() == 0 && b.remaining() == b.array().length) {
            return b.array();
        }
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
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
