package dev.parley.ops.cli;

import dev.parley.avro.event.ChannelEvent;
import dev.parley.schemas.config.Env;
import dev.parley.schemas.serde.ParleyAvroSerde;
import dev.parley.schemas.serde.SerdeConfig;
import dev.parley.schemas.topics.TopicNames;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Option;

/** Options of the commands that read the committed log ({@code tail}, {@code replay-check}). */
final class LogReaderOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]", defaultValue = "127.0.0.1:9092",
            description = "Kafka to read. Env PARLEY_BOOTSTRAP_SERVERS. Default: ${DEFAULT-VALUE}")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8081",
            description = "Schema registry the log's records were written with. Env PARLEY_SCHEMA_REGISTRY_URL. "
                    + "Default: ${DEFAULT-VALUE}")
    String registryUrl;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX", defaultValue = TopicNames.DEFAULT_PREFIX,
            description = "Prefix of Parley's topic names. Env PARLEY_TOPIC_PREFIX. Default: ${DEFAULT-VALUE}")
    String topicPrefix;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
            description = "How long to wait for Kafka and the registry. Env PARLEY_TIMEOUT. Default: ${DEFAULT-VALUE}")
    Duration timeout;

    TopicNames topics() {
        return new TopicNames(topicPrefix);
    }

    /** A read_committed consumer of decoded log events that commits nothing and joins no group. */
    KafkaConsumer<String, ChannelEvent> consumer(String clientId) {
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, Math.max(1000, timeout.toMillis()));
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        c.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        c.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMs, 30_000));
        // PARLEY_SCHEMA_REGISTRY_BASIC_AUTH_* and the other serde settings apply as in the services.
        Map<String, Object> serde = SerdeConfig.forUrl(registryUrl, Env.system().passThrough("PARLEY_SCHEMA_REGISTRY_"));
        ParleyAvroSerde<ChannelEvent> events = ParleyAvroSerde.forValue(ChannelEvent.class, serde);
        return new KafkaConsumer<>(c, new StringDeserializer(), events.deserializer());
    }
}
