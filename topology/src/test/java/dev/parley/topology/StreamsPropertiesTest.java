package dev.parley.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.schemas.config.Env;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamsPropertiesTest {

    @Test
    void exactlyOnceWithCommittedReads() {
        Properties p = StreamsProperties.of(TopologyConfig.fromEnv(Env.of(Map.of("PARLEY_STATE_DIR", "/data/streams"))), "localhost:7070");
        assertThat(p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(p.get(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG)).isEqualTo("true");
        assertThat(p.get(StreamsConfig.DEFAULT_INTERACTIVE_QUERY_ISOLATION_LEVEL_CONFIG)).isEqualTo("READ_COMMITTED");
        assertThat(p.get(StreamsConfig.producerPrefix("compression.type"))).isEqualTo("lz4");
        assertThat(p.get(StreamsConfig.APPLICATION_SERVER_CONFIG)).isEqualTo("localhost:7070");
    }

    @Test
    void whatTheOperatorPassesAsParleyKafkaWins() {
        Properties p = StreamsProperties.of(TopologyConfig.fromEnv(Env.of(Map.of("PARLEY_STATE_DIR", "/data/streams",
                "PARLEY_KAFKA_PRODUCER_COMPRESSION_TYPE", "none", "PARLEY_KAFKA_SECURITY_PROTOCOL", "SASL_SSL"))), "localhost:7070");
        assertThat(p.get(StreamsConfig.producerPrefix("compression.type"))).isEqualTo("none");
        assertThat(p.get("security.protocol")).isEqualTo("SASL_SSL");
    }
}
