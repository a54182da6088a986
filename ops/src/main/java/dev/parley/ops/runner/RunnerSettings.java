package dev.parley.ops.runner;

import dev.parley.schemas.topics.TopicNames;
import dev.parley.schemas.topics.TopicSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code parley start} brings up. Ports set to 0 are picked by the OS (tests use that).
 *
 * @param dataDir        everything the local stack persists lives under here; kept on stop
 * @param bindHost       address the servers bind to
 * @param kafkaPort      Kafka PLAINTEXT port
 * @param controllerPort Kafka CONTROLLER port
 * @param registryPort   schema registry HTTP port (for the registry component, added later)
 * @param gatewayPort    gateway HTTP/WebSocket port (for the gateway component, added later)
 * @param topologyPort   topology HTTP port (for the topology component, added later)
 * @param topicNames     Parley's topic names
 * @param topicSettings  how Parley's topics are created
 * @param startTimeout   how long each component may take to become ready
 * @param brokerOverrides extra Kafka broker properties
 */
public record RunnerSettings(Path dataDir, String bindHost, int kafkaPort, int controllerPort, int registryPort,
                             int gatewayPort, int topologyPort, TopicNames topicNames, TopicSettings topicSettings,
                             Duration startTimeout, Map<String, String> brokerOverrides) {

    public static final Path DEFAULT_DATA_DIR = Path.of(".parley-data");
    public static final String DEFAULT_BIND_HOST = "127.0.0.1";
    public static final int DEFAULT_KAFKA_PORT = 9092;
    public static final int DEFAULT_CONTROLLER_PORT = 0;
    public static final int DEFAULT_REGISTRY_PORT = 8081;
    public static final int DEFAULT_GATEWAY_PORT = 8080;
    public static final int DEFAULT_TOPOLOGY_PORT = 8070;

    public RunnerSettings {
        Objects.requireNonNull(dataDir, "dataDir");
        dataDir = dataDir.toAbsolutePath().normalize();
        bindHost = bindHost == null || bindHost.isBlank() ? DEFAULT_BIND_HOST : bindHost;
        topicNames = topicNames == null ? TopicNames.defaults() : topicNames;
        topicSettings = topicSettings == null ? TopicSettings.defaults() : topicSettings;
        startTimeout = startTimeout == null ? Duration.ofSeconds(90) : startTimeout;
        brokerOverrides = brokerOverrides == null ? Map.of() : Map.copyOf(brokerOverrides);
    }

    /** Every port ephemeral, default topics: for tests. */
    public static RunnerSettings ephemeral(Path dataDir) {
        return new RunnerSettings(dataDir, DEFAULT_BIND_HOST, 0, 0, 0, 0, 0, null, null, null, null);
    }
}
