package dev.parley.topology.routing;

import dev.parley.topology.state.RouteLease;
import dev.parley.topology.state.RouteTableState;
import dev.parley.topology.state.StateSerde;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The router store's value serde: a {@link RouteTable} as a {@link RouteTableState}, in the topology's internal state
 * format ({@link StateSerde}: a format-version byte, then Avro binary; no registry).
 */
public final class RouteTableSerde implements Serde<RouteTable> {

    private static final StateSerde<RouteTableState> STATE = StateSerde.of(RouteTableState.class, RouteTableState.getClassSchema());

    public byte[] toBytes(RouteTable table) {
        Map<String, RouteLease> routes = new HashMap<>(table.routes().size() * 2);
        table.routes().forEach((gateway, lease) -> routes.put(gateway, new RouteLease(lease.incarnation(), lease.expiresAt())));
        return STATE.toBytes(new RouteTableState(table.lastSeq(), routes));
    }

    public RouteTable fromBytes(byte[] bytes) {
        RouteTableState state = STATE.fromBytes(bytes);
        if (state == null) {
            return null;
        }
        TreeMap<String, RouteTable.Lease> routes = new TreeMap<>();
        state.getRoutes().forEach((gateway, lease) -> routes.put(gateway, new RouteTable.Lease(lease.getIncarnation(), lease.getExpiresAt())));
        return new RouteTable(state.getLastSeq(), routes);
    }

    @Override
    public Serializer<RouteTable> serializer() {
        return (topic, table) -> table == null ? null : toBytes(table);
    }

    @Override
    public Deserializer<RouteTable> deserializer() {
        return (topic, bytes) -> fromBytes(bytes);
    }
}
