package dev.parley.topology;

import dev.parley.schemas.config.Env;
import dev.parley.schemas.topics.TopicNames;
import dev.parley.schemas.topics.TopicSettings;
import dev.parley.topology.routing.RouterConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Settings of a topology instance. Defaults work locally; every one can be overridden by an environment
 * variable (docs/operations.md lists them).
 *
 * @param applicationId     Streams {@code application.id} ({@code PARLEY_TOPOLOGY_APPLICATION_ID}, parley-topology)
 * @param bootstrapServers  ({@code PARLEY_BOOTSTRAP_SERVERS}, localhost:9092)
 * @param registryUrl       {@code schema.registry.url} ({@code PARLEY_SCHEMA_REGISTRY_URL}, http://localhost:8081)
 * @param topics            topic names ({@code PARLEY_TOPIC_PREFIX}, parley.)
 * @param topicSettings     partitions, replication ({@code PARLEY_PARTITIONS}, {@code PARLEY_REPLICATION_FACTOR}, ...)
 * @param commitInterval    {@code commit.interval.ms} ({@code PARLEY_COMMIT_INTERVAL}, 20ms: the latency lever of
 *                          exactly-once; see docs/benchmarks.md)
 * @param standbyReplicas   {@code num.standby.replicas} ({@code PARLEY_STANDBY_REPLICAS}, 0)
 * @param streamThreads     {@code num.stream.threads} ({@code PARLEY_STREAM_THREADS}, 2: the sequencer's and the read
 *                          side's tasks then commit in separate, smaller transactions; see docs/benchmarks.md)
 * @param stateDir          {@code state.dir} ({@code PARLEY_STATE_DIR}, ./.parley-data/streams)
 * @param idempotencyWindow how long idempotency keys are remembered ({@code PARLEY_IDEMPOTENCY_WINDOW}, 24h)
 * @param rpcBindHost       interface the query RPC listens on ({@code PARLEY_TOPOLOGY_RPC_BIND}, 127.0.0.1)
 * @param rpcPort           query RPC port, 0 = ephemeral ({@code PARLEY_TOPOLOGY_RPC_PORT}, 8070)
 * @param rpcSecret         shared secret every query RPC request must carry ({@code PARLEY_TOPOLOGY_RPC_SECRET}, unset;
 *                          required, 32+ characters, when the RPC listens beyond loopback)
 * @param advertisedHost    host other instances and gateways use to reach this one ({@code PARLEY_TOPOLOGY_ADVERTISED_HOST}, localhost)
 * @param kafkaOverrides    extra Kafka client/Streams properties from {@code PARLEY_KAFKA_*} (e.g. security)
 * @param registryOverrides extra serde properties from {@code PARLEY_SCHEMA_REGISTRY_*} (e.g. basic auth)
 * @param router            the router run beside the topology ({@code PARLEY_ROUTER_*}, {@link RouterConfig})
 */
public record TopologyConfig(String applicationId, String bootstrapServers, String registryUrl, TopicNames topics,
                             TopicSettings topicSettings, Duration commitInterval, int standbyReplicas, int streamThreads,
                             Path stateDir, Duration idempotencyWindow, String rpcBindHost, int rpcPort, String rpcSecret,
                             String advertisedHost, Map<String, String> kafkaOverrides, Map<String, String> registryOverrides,
                             RouterConfig router) {

    public static TopologyConfig fromEnv(Env env) {
        return new TopologyConfig(
                env.str("PARLEY_TOPOLOGY_APPLICATION_ID", "parley-topology"),
                env.str("PARLEY_BOOTSTRAP_SERVERS", "localhost:9092"),
                env.str("PARLEY_SCHEMA_REGISTRY_URL", "http://localhost:8081"),
                new TopicNames(env.str("PARLEY_TOPIC_PREFIX", TopicNames.DEFAULT_PREFIX)),
                TopicSettings.fromEnv(env),
                env.duration("PARLEY_COMMIT_INTERVAL", Duration.ofMillis(20)),
                env.integer("PARLEY_STANDBY_REPLICAS", 0),
                env.integer("PARLEY_STREAM_THREADS", 2),
                Path.of(env.str("PARLEY_STATE_DIR", "./.parley-data/streams")),
                env.duration("PARLEY_IDEMPOTENCY_WINDOW", Duration.ofHours(24)),
                env.str("PARLEY_TOPOLOGY_RPC_BIND", "127.0.0.1"),
                env.integer("PARLEY_TOPOLOGY_RPC_PORT", 8070),
                env.str("PARLEY_TOPOLOGY_RPC_SECRET", null),
                env.str("PARLEY_TOPOLOGY_ADVERTISED_HOST", "localhost"),
                env.passThrough("PARLEY_KAFKA_"),
                env.passThrough("PARLEY_SCHEMA_REGISTRY_"),
                RouterConfig.fromEnv(env));
    }

    public TopologyConfig withRpcPort(int port) {
        return new TopologyConfig(applicationId, bootstrapServers, registryUrl, topics, topicSettings, commitInterval,
                standbyReplicas, streamThreads, stateDir, idempotencyWindow, rpcBindHost, port, rpcSecret, advertisedHost,
                kafkaOverrides, registryOverrides, router);
    }

    /**
     * Refuses settings that would open the query RPC, which serves private channels and member lists, to anyone
     * who can reach it: beyond loopback it needs a shared secret of at least 32 characters.
     *
     * @throws IllegalStateException saying what to set
     */
    public void requireSafeRpc() {
        String problem = dev.parley.topology.query.RpcSecret.problem(rpcSecret, isLoopback(rpcBindHost));
        if (problem != null) {
            throw new IllegalStateException("the topology refuses to start on " + rpcBindHost + ": " + problem);
        }
    }

    static boolean isLoopback(String host) {
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** Settings for the registry serdes: {@code schema.registry.url} plus pass-through overrides. */
    public Map<String, Object> serdeConfig() {
        return dev.parley.schemas.serde.SerdeConfig.forUrl(registryUrl, registryOverrides);
    }
}
