package dev.parley.gateway.kafka;

import dev.parley.gateway.GatewayConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Settings of the gateway's producers for state that matters only while the gateway runs (the connection registry,
 * its routes): idempotent, not transactional, batched for 5 ms, and never holding up the one thread that writes for
 * more than 2 s when Kafka is away (the caller retries what failed).
 */
public final class EphemeralProducers {

    private EphemeralProducers() {
    }

    /** @param name what the producer writes, in its client id ({@code parley-<gateway>-<name>}) */
    public static Map<String, Object> settings(GatewayConfig config, String name) {
        Map<String, Object> p = new HashMap<>(config.kafkaOverrides());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 8L << 20);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "parley-" + config.gatewayId() + "-" + name);
        return p;
    }
}
