package dev.parley.topology.routing;

import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.routing.RouteRecord;
import dev.parley.avro.routing.RoutedRecord;
import dev.parley.schemas.serde.ParleyAvroSerde;
import dev.parley.schemas.topics.TopicNames;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Wires the router (docs/architecture.md "Routed fan-out"): sources {@code log} (raw bytes) and {@code routes}, which
 * have the same partition count, so one task reads a channel's events and its routes; one {@link RouterProcessor} with
 * the store {@value #STORE} (channel -> {@link RouteTable}, cached and changelogged); the sink {@code deliveries}
 * through {@link DeliveryPartitioner}.
 *
 * <p>Where a source starts without committed offsets: the log at its end (the router copies what is committed from
 * now on; a route started before any event says head 0, and the gateway asks the topology for the head), the routes
 * from the beginning (the compacted topic is the set of routes).
 */
public final class RouterTopology {

    /** The router's store: channel id -> its {@link RouteTable}; changelog {@code <application.id>-route-table-changelog}. */
    public static final String STORE = "route-table";

    private RouterTopology() {
    }

    public static Topology build(TopicNames topics, Map<String, ?> serdeConfig, RouterMetrics metrics, Duration expiryInterval) {
        var events = ParleyAvroSerde.forValue(ChannelEvent.class, serdeConfig);
        var routes = ParleyAvroSerde.forValue(RouteRecord.class, serdeConfig);
        var routed = ParleyAvroSerde.forValue(RoutedRecord.class, serdeConfig);
        Topology topology = new Topology();
        topology.addSource(AutoOffsetReset.latest(), "log-source", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                topics.log());
        topology.addSource(AutoOffsetReset.earliest(), "routes-source", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                topics.routes());
        topology.addProcessor("router", () -> new RouterProcessor(topics.log(), topics.routes(), events.deserializer(),
                routes.deserializer(), metrics, expiryInterval), "log-source", "routes-source");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), new RouteTableSerde())
                .withCachingEnabled(), "router");
        topology.addSink("deliveries-sink", topics.deliveries(), Serdes.String().serializer(), routed.serializer(),
                new DeliveryPartitioner<>(), "router");
        return topology;
    }
}
