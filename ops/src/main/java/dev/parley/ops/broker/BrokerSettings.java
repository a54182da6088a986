package dev.parley.ops.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How the local single-node broker is started.
 *
 * @param dataDir        where Kafka keeps its log and metadata (formatted on first start, reused after)
 * @param bindHost       address the listeners bind to, e.g. {@code 127.0.0.1}; {@code 0.0.0.0} binds every interface
 * @param advertisedHost host clients are told to connect to (used when {@code bindHost} is a wildcard)
 * @param clientPort     PLAINTEXT port for clients; 0 picks an ephemeral port
 * @param controllerPort CONTROLLER (KRaft) port; 0 picks a free port at start
 * @param startTimeout   how long to wait for the broker to answer {@code describeCluster}
 * @param overrides      further broker properties, applied last (they win over Parley's defaults)
 */
public record BrokerSettings(Path dataDir, String bindHost, String advertisedHost, int clientPort, int controllerPort,
                             Duration startTimeout, Map<String, String> overrides) {

    public static final String LOCALHOST = "127.0.0.1";

    public BrokerSettings {
        Objects.requireNonNull(dataDir, "dataDir");
        bindHost = bindHost == null || bindHost.isBlank() ? LOCALHOST : bindHost.trim();
        if (advertisedHost == null || advertisedHost.isBlank()) {
            advertisedHost = isWildcard(bindHost) ? LOCALHOST : bindHost;
        }
        checkPort("clientPort", clientPort);
        checkPort("controllerPort", controllerPort);
        startTimeout = startTimeout == null ? Duration.ofSeconds(90) : startTimeout;
        overrides = overrides == null ? Map.of() : Map.copyOf(overrides);
    }

    /** 127.0.0.1, ephemeral ports, no overrides: what tests use. */
    public static BrokerSettings ephemeral(Path dataDir) {
        return new BrokerSettings(dataDir, LOCALHOST, null, 0, 0, null, Map.of());
    }

    public BrokerSettings withPorts(int client, int controller) {
        return new BrokerSettings(dataDir, bindHost, advertisedHost, client, controller, startTimeout, overrides);
    }

    static boolean isWildcard(String host) {
        return "0.0.0.0".equals(host) || "::".equals(host) || "[::]".equals(host);
    }

    private static void checkPort(String name, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be between 0 and 65535, got " + port);
        }
    }
}
