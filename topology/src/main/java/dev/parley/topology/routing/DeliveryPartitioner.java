package dev.parley.topology.routing;

import dev.parley.api.routing.RoutingKeys;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Where a delivery goes (docs/topics.md "deliveries"): a record keyed {@link RoutingKeys#EVERY_GATEWAY} to every
 * partition (Streams multicasts it, KIP-837), any other to the partition of the gateway it is keyed by.
 */
public final class DeliveryPartitioner<V> implements StreamPartitioner<String, V> {

    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, V value, int numPartitions) {
        if (RoutingKeys.EVERY_GATEWAY.equals(key)) {
            return Optional.of(IntStream.range(0, numPartitions).boxed().collect(Collectors.toUnmodifiableSet()));
        }
        return Optional.of(Set.of(RoutingKeys.gatewayPartition(key, numPartitions)));
    }
}
