package dev.parley.schemas.registry.server;

import dev.parley.schemas.config.Env;
import dev.parley.schemas.config.Loopback;
import dev.parley.schemas.topics.TopicNames;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of Parley's schema registry server; docs/registry.md describes each one.
 *
 * @param host                 address to bind ({@code 127.0.0.1} locally; {@code 0.0.0.0} in a container)
 * @param port                 HTTP port; 0 picks a free one ({@link SchemaRegistryServer#url()} tells which)
 * @param bootstrapServers     Kafka bootstrap servers of the storage cluster
 * @param topic                compacted storage topic (created with 1 partition when absent)
 * @param replicationFactor    replication factor used when the topic is created
 * @param defaultCompatibility global level until one is set with {@code PUT /config}
 * @param basicAuth            when present, every request needs these HTTP basic credentials
 * @param allowAnonymous       serve without credentials on an address other than loopback (off: such a start is refused)
 * @param writeTimeout         how long a write may take to be stored and read back before the request fails
 * @param initTimeout          how long reading the topic at start-up may take
 */
public record RegistryServerConfig(String host, int port, String bootstrapServers, String topic, short replicationFactor,
                                   CompatibilityLevel defaultCompatibility, Optional<BasicCredentials> basicAuth,
                                   boolean allowAnonymous, Duration writeTimeout, Duration initTimeout) {

    public static final int DEFAULT_PORT = 8081;

    public RegistryServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(defaultCompatibility, "defaultCompatibility");
        Objects.requireNonNull(basicAuth, "basicAuth");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (topic.isBlank()) {
            throw new IllegalArgumentException("the registry topic name is empty");
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor must be >= 1, got " + replicationFactor);
        }
    }

    /**
     * Local defaults: 127.0.0.1:8081, localhost:9092, topic {@code parley.schemas}, BACKWARD, no auth (which
     * is only allowed on loopback: see {@link #exposureProblem()}).
     */
    public static RegistryServerConfig defaults() {
        return new RegistryServerConfig("127.0.0.1", DEFAULT_PORT, "localhost:9092", TopicNames.defaults().schemas(),
                (short) 1, CompatibilityLevel.BACKWARD, Optional.empty(), false, Duration.ofSeconds(30), Duration.ofSeconds(60));
    }

    /**
     * Why this configuration must not serve, if it must not: without credentials anyone who reaches the port can
     * register, delete and change compatibility levels, so that is only allowed on a loopback address, or when
     * {@link #allowAnonymous()} says so explicitly (e.g. a private network with its own controls).
     */
    public Optional<String> exposureProblem() {
        if (basicAuth.isPresent() || allowAnonymous || Loopback.isLoopback(host)) {
            return Optional.empty();
        }
        return Optional.of("the schema registry would accept anonymous writes, deletes and config changes on " + host
                + ", which is not a loopback address: set PARLEY_REGISTRY_BASIC_AUTH=user:password (and the clients'"
                + " PARLEY_SCHEMA_REGISTRY_BASIC_AUTH_* settings), bind 127.0.0.1 (PARLEY_REGISTRY_HOST), or set"
                + " PARLEY_REGISTRY_ALLOW_ANONYMOUS=true if the network in front of it is trusted");
    }

    /**
     * The defaults overridden by {@code PARLEY_REGISTRY_*} settings (see docs/registry.md): HOST, PORT,
     * BOOTSTRAP_SERVERS (else {@code PARLEY_BOOTSTRAP_SERVERS}), TOPIC (else {@code <PARLEY_TOPIC_PREFIX>schemas}),
     * REPLICATION_FACTOR (else {@code PARLEY_REPLICATION_FACTOR}), COMPATIBILITY, BASIC_AUTH ({@code user:password}),
     * ALLOW_ANONYMOUS, WRITE_TIMEOUT, INIT_TIMEOUT.
     */
    public static RegistryServerConfig fromEnv(Env env) {
        RegistryServerConfig d = defaults();
        String prefix = env.str("PARLEY_TOPIC_PREFIX", TopicNames.DEFAULT_PREFIX);
        String auth = env.str("PARLEY_REGISTRY_BASIC_AUTH", "");
        return new RegistryServerConfig(
                env.str("PARLEY_REGISTRY_HOST", d.host()),
                env.integer("PARLEY_REGISTRY_PORT", d.port()),
                env.str("PARLEY_REGISTRY_BOOTSTRAP_SERVERS", env.str("PARLEY_BOOTSTRAP_SERVERS", d.bootstrapServers())),
                env.str("PARLEY_REGISTRY_TOPIC", new TopicNames(prefix).schemas()),
                (short) env.integer("PARLEY_REGISTRY_REPLICATION_FACTOR", env.integer("PARLEY_REPLICATION_FACTOR", d.replicationFactor())),
                level(env.str("PARLEY_REGISTRY_COMPATIBILITY", d.defaultCompatibility().name())),
                auth.isEmpty() ? Optional.empty() : Optional.of(BasicCredentials.parse(auth)),
                env.bool("PARLEY_REGISTRY_ALLOW_ANONYMOUS", d.allowAnonymous()),
                env.duration("PARLEY_REGISTRY_WRITE_TIMEOUT", d.writeTimeout()),
                env.duration("PARLEY_REGISTRY_INIT_TIMEOUT", d.initTimeout()));
    }

    private static CompatibilityLevel level(String name) {
        try {
            return CompatibilityLevel.parse(name);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("PARLEY_REGISTRY_COMPATIBILITY: " + e.getMessage(), e);
        }
    }

    public RegistryServerConfig withHost(String value) {
        return new RegistryServerConfig(value, port, bootstrapServers, topic, replicationFactor, defaultCompatibility, basicAuth, allowAnonymous, writeTimeout, initTimeout);
    }

    public RegistryServerConfig withPort(int value) {
        return new RegistryServerConfig(host, value, bootstrapServers, topic, replicationFactor, defaultCompatibility, basicAuth, allowAnonymous, writeTimeout, initTimeout);
    }

    public RegistryServerConfig withBootstrapServers(String value) {
        return new RegistryServerConfig(host, port, value, topic, replicationFactor, defaultCompatibility, basicAuth, allowAnonymous, writeTimeout, initTimeout);
    }

    public RegistryServerConfig withTopic(String value) {
        return new RegistryServerConfig(host, port, bootstrapServers, value, replicationFactor, defaultCompatibility, basicAuth, allowAnonymous, writeTimeout, initTimeout);
    }

    /** The storage topic of the given topic names ({@link TopicNames#schemas()}). */
    public RegistryServerConfig withTopics(TopicNames names) {
        return withTopic(names.schemas());
    }

    public RegistryServerConfig withReplicationFactor(short value) {
        return new RegistryServerConfig(host, port, bootstrapServers, topic, value, defaultCompatibility, basicAuth, allowAnonymous, writeTimeout, initTimeout);
    }

    public RegistryServerConfig withDefaultCompatibility(CompatibilityLevel value) {
        return new RegistryServerConfig(host, port, bootstrapServers, topic, replicationFactor, value, basicAuth, allowAnonymous, writeTimeout, initTimeout);
    }

    public RegistryServerConfig withBasicAuth(BasicCredentials value) {
        return new RegistryServerConfig(host, port, bootstrapServers, topic, replicationFactor, defaultCompatibility, Optional.ofNullable(value), allowAnonymous, writeTimeout, initTimeout);
    }

    public RegistryServerConfig withAllowAnonymous(boolean value) {
        return new RegistryServerConfig(host, port, bootstrapServers, topic, replicationFactor, defaultCompatibility, basicAuth, value, writeTimeout, initTimeout);
    }

    public RegistryServerConfig withWriteTimeout(Duration value) {
        return new RegistryServerConfig(host, port, bootstrapServers, topic, replicationFactor, defaultCompatibility, basicAuth, allowAnonymous, value, initTimeout);
    }

    public RegistryServerConfig withInitTimeout(Duration value) {
        return new RegistryServerConfig(host, port, bootstrapServers, topic, replicationFactor, defaultCompatibility, basicAuth, allowAnonymous, writeTimeout, value);
    }
}
