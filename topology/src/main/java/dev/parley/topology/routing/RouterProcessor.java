package dev.parley.topology.routing;

import dev.parley.api.events.Memberships;
import dev.parley.api.routing.RoutingKeys;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.routing.RouteRecord;
import dev.parley.avro.routing.RouteStarted;
import dev.parley.avro.routing.RoutedEvent;
import dev.parley.avro.routing.RoutedRecord;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's one processor, the Kafka edge around {@link RouteTable}: reads a channel's committed events (raw log
 * bytes, decoded once for the seq and the membership rule) and its routes from the same task, keeps the channel's
 * table in {@link RouterTopology#STORE}, and forwards {@link RoutedRecord}s keyed by gateway (or
 * {@link RoutingKeys#EVERY_GATEWAY}): route-started markers, and each event with the log's bytes unchanged. A
 * wall-clock punctuator drops routes whose lease ran out. A record it cannot read is logged and skipped: the log stays
 * the truth, and a gateway fills what it misses from the topology.
 */
public final class RouterProcessor implements Processor<String, byte[], String, RoutedRecord> {

    private static final Logger LOG = LoggerFactory.getLogger(RouterProcessor.class);

    private final String logTopic;
    private final String routesTopic;
    private final Deserializer<ChannelEvent> events;
    private final Deserializer<RouteRecord> routes;
    private final RouterMetrics metrics;
    private final Duration expiryInterval;
    private ProcessorContext<String, RoutedRecord> context;
    private KeyValueStore<String, RouteTable> store;
    private String task;
    private long held;

    public RouterProcessor(String logTopic, String routesTopic, Deserializer<ChannelEvent> events, Deserializer<RouteRecord> routes,
                           RouterMetrics metrics, Duration expiryInterval) {
        this.logTopic = logTopic;
        this.routesTopic = routesTopic;
        this.events = events;
        this.routes = routes;
        this.metrics = metrics;
        this.expiryInterval = expiryInterval;
    }

    @Override
    public void init(ProcessorContext<String, RoutedRecord> context) {
        this.context = context;
        this.store = context.getStateStore(RouterTopology.STORE);
        this.task = context.taskId().toString();
        this.held = countRoutes();
        metrics.held(task, held);
        context.schedule(expiryInterval, PunctuationType.WALL_CLOCK_TIME, this::expire);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
        if (record.key() == null) {
            LOG.warn("skipping a record without a key on {}", topic);
        } else if (topic.equals(logTopic)) {
            onEvent(record);
        } else if (topic.equals(routesTopic)) {
            onRoute(record);
        }
    }

    private void onEvent(Record<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        ChannelEvent event;
        try {
            event = events.deserialize(logTopic, record.value());
        } catch (RuntimeException e) {
            LOG.warn("skipping an unreadable event of channel {} at {}: {}", record.key(), where(), e.toString());
            return;
        }
        String channel = record.key();
        RouteTable table = tableOf(channel);
        RouteTable.Fanout fanout = table.event(event.getSeq(), !Memberships.of(event).isEmpty());
        if (fanout.table() != table) {
            store.put(channel, fanout.table());
        }
        if (fanout.everyGateway()) {
            forward(RoutingKeys.EVERY_GATEWAY, channel, new RoutedEvent(event.getSeq(), ByteBuffer.wrap(record.value())), record.timestamp());
            metrics.broadcast();
            return;
        }
        for (String gateway : fanout.gateways()) {
            forward(gateway, channel, new RoutedEvent(event.getSeq(), ByteBuffer.wrap(record.value())), record.timestamp());
        }
        metrics.copied(fanout.gateways().size());
    }

    private void onRoute(Record<String, byte[]> record) {
        RoutingKeys.Route route;
        RouteRecord value;
        try {
            route = RoutingKeys.parseRoute(record.key());
            value = record.value() == null ? null : routes.deserialize(routesTopic, record.value());
        } catch (RuntimeException e) {
            LOG.warn("skipping an unreadable route at {}: {}", where(), e.toString());
            return;
        }
        RouteTable table = tableOf(route.channel());
        RouteTable.RouteDecision decision = value == null
                ? table.remove(route.gateway())
                : table.route(route.gateway(), value.getIncarnation(), value.getTimestamp().toEpochMilli(), value.getLeaseMs(),
                        context.currentSystemTimeMs());
        if (decision.table() != table) {
            store.put(route.channel(), decision.table());
        }
        switch (decision.outcome()) {
            case ADDED -> held++;
            case REMOVED -> held--;
            default -> { }
        }
        metrics.held(task, held);
        if (decision.started()) {
            forward(route.gateway(), route.channel(), new RouteStarted(route.gateway(), value.getIncarnation(), decision.table().lastSeq()),
                    record.timestamp());
            metrics.started();
        }
    }

    private void expire(long now) {
        long count = 0;
        List<KeyValue<String, RouteTable>> changed = new ArrayList<>();
        int expired = 0;
        try (KeyValueIterator<String, RouteTable> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, RouteTable> entry = all.next();
                RouteTable.Expiry expiry = entry.value.expire(now);
                if (!expiry.expired().isEmpty()) {
                    changed.add(KeyValue.pair(entry.key, expiry.table()));
                    expired += expiry.expired().size();
                    LOG.debug("routes of {} to {} expired", entry.key, expiry.expired());
                }
                count += expiry.table().routes().size();
            }
        }
        changed.forEach(e -> store.put(e.key, e.value)); // not while the iterator is open
        held = count;
        metrics.held(task, held);
        if (expired > 0) {
            metrics.expired(expired);
        }
    }

    private void forward(String key, String channel, Object body, long timestamp) {
        context.forward(new Record<>(key, new RoutedRecord(channel, body), timestamp));
    }

    private RouteTable tableOf(String channel) {
        RouteTable table = store.get(channel);
        return table == null ? RouteTable.EMPTY : table;
    }

    private long countRoutes() {
        long count = 0;
        try (KeyValueIterator<String, RouteTable> all = store.all()) {
            while (all.hasNext()) {
                count += all.next().value.routes().size();
            }
        }
        return count;
    }

    private String where() {
        return context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("?");
    }

    @Override
    public void close() {
        metrics.held(task, null);
    }
}
