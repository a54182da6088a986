package dev.parley.topology.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.routing.RoutingKeys;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeliveryPartitionerTest {

    private final DeliveryPartitioner<Object> partitioner = new DeliveryPartitioner<>();

    @Test
    void everyGatewayGoesToEveryPartition() {
        assertThat(partitioner.partitions("parley.deliveries", RoutingKeys.EVERY_GATEWAY, null, 6))
                .contains(Set.of(0, 1, 2, 3, 4, 5));
        assertThat(partitioner.partitions("parley.deliveries", RoutingKeys.EVERY_GATEWAY, null, 1)).contains(Set.of(0));
    }

    @Test
    void aGatewaysRecordGoesToTheGatewaysPartitionOnly() {
        for (String gateway : new String[] {"gw-1", "gw-2", "gw-3", "gateway-a", "*x"}) {
            for (int n : new int[] {1, 3, 12}) {
                assertThat(partitioner.partitions("parley.deliveries", gateway, null, n)).as("%s of %d", gateway, n)
                        .isEqualTo(Optional.of(Set.of(RoutingKeys.gatewayPartition(gateway, n))));
            }
        }
        // The gateways of this test do not all share one partition, so the check above can tell them apart.
        assertThat(java.util.stream.Stream.of("gw-1", "gw-2", "gw-3").map(g -> RoutingKeys.gatewayPartition(g, 12)).distinct().count())
                .isGreaterThan(1);
    }
}
