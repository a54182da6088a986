package dev.parley.topology.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.schemas.config.Env;
import dev.parley.topology.TopologyConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class RouterConfigTest {

    @Test
    void defaultsRunOneAtLeastOnceThreadBesideTheTopology() {
        TopologyConfig topology = TopologyConfig.fromEnv(Env.of(Map.of("PARLEY_STATE_DIR", "/data/streams")));
        assertThat(topology.router()).isEqualTo(new RouterConfig(true, 1, Duration.ofSeconds(1), Duration.ofSeconds(5)));

        Properties p = Router.properties(topology, topology.router());
        assertThat(p.get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("parley-topology-router");
        assertThat(p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.AT_LEAST_ONCE);
        assertThat(p.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo("1000");
        assertThat(p.get(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).isEqualTo("1");
        assertThat(p.get(StreamsConfig.STATE_DIR_CONFIG)).isEqualTo(Path.of("/data/streams").toAbsolutePath().toString());
        assertThat(p.get(StreamsConfig.consumerPrefix("isolation.level"))).isEqualTo("read_committed");
        assertThat(p.get(StreamsConfig.producerPrefix("linger.ms"))).isEqualTo("5");
    }

    @Test
    void everySettingComesFromTheEnvironmentAndTheRoutersOwnWinOverPassThrough() {
        TopologyConfig topology = TopologyConfig.fromEnv(Env.of(Map.of(
                "PARLEY_TOPOLOGY_APPLICATION_ID", "acme",
                "PARLEY_ROUTER_ENABLED", "false",
                "PARLEY_ROUTER_THREADS", "3",
                "PARLEY_ROUTER_COMMIT_INTERVAL", "250ms",
                "PARLEY_ROUTER_EXPIRY_INTERVAL", "30s",
                "PARLEY_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "PARLEY_KAFKA_PROCESSING_GUARANTEE", "exactly_once_v2")));
        assertThat(topology.router()).isEqualTo(new RouterConfig(false, 3, Duration.ofMillis(250), Duration.ofSeconds(30)));
        Properties p = Router.properties(topology, topology.router());
        assertThat(p.get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("acme-router");
        assertThat(p.get("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.AT_LEAST_ONCE);
        assertThat(p.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo("250");
        assertThat(p.get(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).isEqualTo("3");
    }
}
