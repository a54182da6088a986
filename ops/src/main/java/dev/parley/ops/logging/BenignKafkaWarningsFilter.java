package dev.parley.ops.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import org.slf4j.Marker;

/**
 * Drops the few WARN lines an embedded single-node broker prints on every normal start and stop, so a
 * warning on the runner's console means something. Nothing else is touched.
 */
public final class BenignKafkaWarningsFilter extends TurboFilter {

    private record Benign(String logger, String fragment, String paramFragment) {
        Benign(String logger, String fragment) {
            this(logger, fragment, null);
        }
    }

    private static final List<Benign> BENIGN = List.of(
            // QuorumController logs its (normal) activation at WARN on every start.
            new Benign("org.apache.kafka.controller.QuorumController", "Performing controller activation"),
            // BrokerServer closes its registration channel twice during a clean shutdown.
            new Benign("org.apache.kafka.clients.NetworkClient", "Attempting to close NetworkClient that has already been closed"),
            // Kafka Streams subscribes to its repartition topic a moment before it has created it, on first start.
            // (Kafka's LogContext formats the message itself: the topic is in the format, not in the params.)
            new Benign("org.apache.kafka.clients.NetworkClient", "reported a recoverable issue", "-repartition=UNKNOWN_TOPIC_OR_PARTITION"),
            // The first transactional producer on a new (slow) broker races the creation of __transaction_state.
            new Benign("org.apache.kafka.server.DefaultAutoTopicCreationManager", "Auto topic creation failed for",
                    "TOPIC_ALREADY_EXISTS"),
            // The topology has no global stores, so the global thread's exception handler never applies.
            new Benign("org.apache.kafka.streams.StreamsConfig", "Processing exception handler is not enabled for the GlobalThread"));

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level != Level.WARN || format == null || logger == null) {
            return FilterReply.NEUTRAL;
        }
        for (Benign b : BENIGN) {
            if (b.logger().equals(logger.getName()) && format.contains(b.fragment())
                    && (b.paramFragment() == null || format.contains(b.paramFragment())
                        || (params != null && java.util.Arrays.deepToString(params).contains(b.paramFragment())))) {
                return FilterReply.DENY;
            }
        }
        return FilterReply.NEUTRAL;
    }
}
