package dev.parley.ops.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;

/** The warnings every normal start prints are dropped, whether Kafka formats them itself or not. */
class BenignKafkaWarningsFilterTest {

    private final LoggerContext context = new LoggerContext();
    private final BenignKafkaWarningsFilter filter = new BenignKafkaWarningsFilter();

    private FilterReply decide(String logger, Level level, String format, Object... params) {
        Logger l = context.getLogger(logger);
        return filter.decide(null, l, level, format, params.length == 0 ? null : params, null);
    }

    @Test
    void dropsTheRepartitionTopicWarningAsKafkasLogContextFormatsIt() {
        assertThat(decide("org.apache.kafka.clients.NetworkClient", Level.WARN,
                "[Consumer clientId=parley-topology-1-StreamThread-1-consumer, groupId=parley-topology] The metadata response"
                        + " from the cluster reported a recoverable issue with correlation id 2 :"
                        + " {parley-topology-user-membership-repartition=UNKNOWN_TOPIC_OR_PARTITION}"))
                .isEqualTo(FilterReply.DENY);
        assertThat(decide("org.apache.kafka.clients.NetworkClient", Level.WARN,
                "The metadata response from the cluster reported a recoverable issue with correlation id {} : {}", 2,
                java.util.Map.of("x-repartition", "UNKNOWN_TOPIC_OR_PARTITION")))
                .isEqualTo(FilterReply.DENY);
        assertThat(decide("org.apache.kafka.server.DefaultAutoTopicCreationManager", Level.WARN,
                "Auto topic creation failed for __transaction_state with error 'TOPIC_ALREADY_EXISTS': Topic"
                        + " '__transaction_state' already exists.."))
                .isEqualTo(FilterReply.DENY);
        assertThat(decide("org.apache.kafka.streams.StreamsConfig", Level.WARN,
                "Processing exception handler is not enabled for the GlobalThread. It's recommended to set ..."))
                .isEqualTo(FilterReply.DENY);
    }

    @Test
    void keepsEverythingElse() {
        assertThat(decide("org.apache.kafka.clients.NetworkClient", Level.WARN,
                "[Consumer] The metadata response from the cluster reported a recoverable issue with correlation id 2 :"
                        + " {parley.log=UNKNOWN_TOPIC_OR_PARTITION}"))
                .isEqualTo(FilterReply.NEUTRAL);
        assertThat(decide("org.apache.kafka.clients.NetworkClient", Level.ERROR,
                "reported a recoverable issue -repartition=UNKNOWN_TOPIC_OR_PARTITION")).isEqualTo(FilterReply.NEUTRAL);
        assertThat(decide("dev.parley.Something", Level.WARN, "Performing controller activation")).isEqualTo(FilterReply.NEUTRAL);
    }
}
