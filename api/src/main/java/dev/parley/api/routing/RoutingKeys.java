package dev.parley.api.routing;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * Keys and partitions of routed fan-out (docs/topics.md, docs/scaling.md). A route is keyed
 * {@code channel U+001F gateway}, so compaction keeps one per (channel, gateway), and is written to the partition the
 * default partitioner gives the channel id in the committed log: the router task that reads a channel's events reads
 * its routes too. A delivery is keyed by the gateway it is for and written to that gateway's partition; an event that
 * changes membership is keyed {@link #EVERY_GATEWAY} and written to every partition. Ids never contain control
 * characters ({@code Limits.isValidToken}), so the separator cannot occur inside one.
 */
public final class RoutingKeys {

    /** ASCII unit separator: between the channel and the gateway of a route's key. */
    public static final char SEPARATOR = '\u001f';

    /** The key of a delivery for every gateway that reads the partition. */
    public static final String EVERY_GATEWAY = "*";

    private RoutingKeys() {
    }

    /** A parsed route key. */
    public record Route(String channel, String gateway) {
    }

    public static String route(String channel, String gateway) {
        return channel + SEPARATOR + gateway;
    }

    public static Route parseRoute(String key) {
        int i = key.indexOf(SEPARATOR);
        if (i <= 0 || i == key.length() - 1) {
            throw new IllegalArgumentException("not a route key: " + key.replace(SEPARATOR, '|'));
        }
        return new Route(key.substring(0, i), key.substring(i + 1));
    }

    /** The partition of a channel's events in the log, hence of its routes: {@code toPositive(murmur2(channel)) % partitions}. */
    public static int channelPartition(String channel, int partitions) {
        return hash(channel, partitions);
    }

    /** The deliveries partition a gateway reads: {@code toPositive(murmur2(gateway)) % partitions}. */
    public static int gatewayPartition(String gateway, int partitions) {
        return hash(gateway, partitions);
    }

    private static int hash(String id, int partitions) {
        return Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
