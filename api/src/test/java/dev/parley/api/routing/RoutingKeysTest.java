package dev.parley.api.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class RoutingKeysTest {

    @Test
    void aRouteKeyNamesItsChannelAndGateway() {
        String key = RoutingKeys.route("general", "gw-1");
        assertThat(RoutingKeys.parseRoute(key)).isEqualTo(new RoutingKeys.Route("general", "gw-1"));
        assertThatThrownBy(() -> RoutingKeys.parseRoute("general")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aChannelsRoutesGoToThePartitionTheProducerGivesItsEvents() {
        for (String channel : new String[] {"general", "random", "dm-alice-bob", "c-0042"}) {
            int byProducer = BuiltInPartitioner.partitionForKey(channel.getBytes(StandardCharsets.UTF_8), 12);
            assertThat(RoutingKeys.channelPartition(channel, 12)).as(channel).isEqualTo(byProducer);
        }
    }
}
