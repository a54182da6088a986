package dev.parley.ops.runner;

import java.nio.file.Path;
import java.util.Optional;

/** What the components of one local stack share: the settings and the endpoints published so far. */
public final class LocalContext {

    private final RunnerSettings settings;
    private volatile String bootstrapServers;
    private volatile String registryUrl;
    private volatile String topologyUrl;

    LocalContext(RunnerSettings settings) {
        this.settings = settings;
    }

    public RunnerSettings settings() {
        return settings;
    }

    /** A component's own directory under the data dir, e.g. {@code .parley-data/registry}. */
    public Path dataDir(String component) {
        return settings.dataDir().resolve(component);
    }

    /** Kafka's bootstrap servers; published by the broker component, so available to every later one. */
    public String bootstrapServers() {
        if (bootstrapServers == null) {
            throw new IllegalStateException("the Kafka broker has not been started yet");
        }
        return bootstrapServers;
    }

    public void publishBootstrapServers(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** The schema registry's base URL, once a registry component published it. */
    public Optional<String> registryUrl() {
        return Optional.ofNullable(registryUrl);
    }

    public void publishRegistryUrl(String registryUrl) {
        this.registryUrl = registryUrl;
    }

    /** The topology's query RPC base URL, once the topology component published it. */
    public Optional<String> topologyUrl() {
        return Optional.ofNullable(topologyUrl);
    }

    public void publishTopologyUrl(String topologyUrl) {
        this.topologyUrl = topologyUrl;
    }

    /** The query RPC's secret: the caller's PARLEY_TOPOLOGY_RPC_SECRET when set (a test that starts more gateways), else a random one per run. */
    private final String rpcSecret = java.util.Optional.ofNullable(System.getenv("PARLEY_TOPOLOGY_RPC_SECRET"))
            .filter(s -> !s.isBlank()).orElseGet(LocalContext::randomSecret);

    private static String randomSecret() {
        byte[] b = new byte[32];
        new java.security.SecureRandom().nextBytes(b);
        return java.util.HexFormat.of().formatHex(b);
    }

    /** Environment-style settings every Parley component of this stack shares. */
    public java.util.Map<String, String> commonEnv() {
        java.util.Map<String, String> env = new java.util.HashMap<>();
        env.put("PARLEY_TOPOLOGY_RPC_SECRET", rpcSecret);
        env.put("PARLEY_BOOTSTRAP_SERVERS", bootstrapServers());
        registryUrl().ifPresent(u -> env.put("PARLEY_SCHEMA_REGISTRY_URL", u));
        env.put("PARLEY_TOPIC_PREFIX", settings.topicNames().prefix());
        env.put("PARLEY_PARTITIONS", String.valueOf(settings.topicSettings().partitions()));
        env.put("PARLEY_REPLICATION_FACTOR", String.valueOf(settings.topicSettings().replicationFactor()));
        return env;
    }
}
