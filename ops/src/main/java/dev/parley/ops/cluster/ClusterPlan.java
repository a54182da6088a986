package dev.parley.ops.cluster;

import dev.parley.schemas.topics.TopicNames;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The nodes of a local cluster, in start order (brokers, registry, topologies, gateways), with the settings of
 * {@code docker/compose.yaml}: RF 3 and min ISR 2 for every topic and Kafka's internal topics, no unclean leader
 * election, {@code transaction.version} 2 (every node formats with it), one standby replica per store, a 20 ms
 * commit interval and 2 stream threads per topology, every gateway talking to every topology instance, dev mode.
 * Everything binds 127.0.0.1. Pure: no process is started here.
 *
 * @param settings  what was asked
 * @param ports     every node's ports
 * @param clusterId the Kafka cluster id every broker is formatted with
 * @param nodes     in start order
 */
public record ClusterPlan(ClusterSettings settings, PortPlan ports, String clusterId, List<NodeSpec> nodes) {

    public static final String HOST = "127.0.0.1";
    /** Compose's values for the topology instances, used unless the environment sets them. */
    static final Map<String, String> TOPOLOGY_DEFAULTS = Map.of("PARLEY_COMMIT_INTERVAL", "20ms", "PARLEY_STREAM_THREADS", "2");
    /** Several gateways: each reads only the events its connections need (routed fan-out, docs/scaling.md). */
    static final Map<String, String> GATEWAY_DEFAULTS = Map.of("PARLEY_FANOUT", "routed");

    public ClusterPlan {
        nodes = List.copyOf(nodes);
    }

    /**
     * @param inherited the environment the nodes start from (this process's); the cluster's own settings win over it
     */
    public static ClusterPlan of(ClusterSettings s, PortPlan ports, String clusterId, Map<String, String> inherited) {
        List<NodeSpec> nodes = new ArrayList<>();
        String bootstrap = bootstrap(ports);
        String voters = IntStream.range(0, s.brokers())
                .mapToObj(i -> (i + 1) + "@" + HOST + ":" + ports.controllers().get(i)).collect(Collectors.joining(","));
        Map<String, String> base = new HashMap<>(inherited);
        base.putAll(s.extraEnv());

        for (int i = 1; i <= s.brokers(); i++) {
            String name = NodeRole.BROKER.nodeName(i);
            Path dir = s.dataDir().resolve(name);
            Map<String, String> env = new HashMap<>(base);
            env.put("PARLEY_DATA_DIR", dir.toString());
            env.put("PARLEY_BIND_HOST", HOST);
            env.put("PARLEY_KAFKA_PORT", String.valueOf(ports.brokers().get(i - 1)));
            env.put("PARLEY_CONTROLLER_PORT", String.valueOf(ports.controllers().get(i - 1)));
            env.put("PARLEY_BROKER_NODE_ID", String.valueOf(i));
            env.put("PARLEY_BROKER_QUORUM_VOTERS", voters);
            env.put("PARLEY_BROKER_CLUSTER_ID", clusterId);
            env.put("PARLEY_START_TIMEOUT", s.startTimeout().toSeconds() + "s");
            brokerConfig(s).forEach((k, v) -> env.put("PARLEY_BROKER_CONFIG_" + k.toUpperCase(java.util.Locale.ROOT).replace('.', '_'), v));
            nodes.add(node(s, name, NodeRole.BROKER, env, dir,
                    ports("kafka", ports.brokers().get(i - 1), "controller", ports.controllers().get(i - 1)),
                    new KafkaReadiness(HOST + ":" + ports.brokers().get(i - 1), i)));
        }

        Map<String, String> services = new HashMap<>(base);
        services.remove("PARLEY_KAFKA_PORT"); // the runner's broker port; a Kafka client property (port) otherwise
        services.put("PARLEY_BOOTSTRAP_SERVERS", bootstrap);
        services.put("PARLEY_SCHEMA_REGISTRY_URL", url(ports.registry()));
        services.put("PARLEY_TOPIC_PREFIX", TopicNames.DEFAULT_PREFIX);
        services.put("PARLEY_PARTITIONS", String.valueOf(s.partitions()));
        services.put("PARLEY_REPLICATION_FACTOR", String.valueOf(s.replicationFactor()));
        services.put("PARLEY_MIN_INSYNC_REPLICAS", String.valueOf(s.minInsyncReplicas()));
        // The topology query RPC's shared secret: random per plan, for the topology instances and the gateways.
        byte[] secret = new byte[32];
        new java.security.SecureRandom().nextBytes(secret);
        services.putIfAbsent("PARLEY_TOPOLOGY_RPC_SECRET", java.util.HexFormat.of().formatHex(secret));

        Map<String, String> registry = new HashMap<>(services);
        registry.put("PARLEY_REGISTRY_HOST", HOST);
        registry.put("PARLEY_REGISTRY_PORT", String.valueOf(ports.registry()));
        registry.putIfAbsent("PARLEY_REGISTRY_COMPATIBILITY", "BACKWARD");
        nodes.add(node(s, "registry", NodeRole.REGISTRY, registry, s.dataDir().resolve("registry"),
                ports("http", ports.registry()), new HttpReadiness(URI.create(url(ports.registry()) + "/subjects"), "")));

        List<String> topologyUrls = ports.topologies().stream().map(ClusterPlan::url).toList();
        for (int i = 1; i <= s.topologies(); i++) {
            String name = NodeRole.TOPOLOGY.nodeName(i);
            Path dir = s.dataDir().resolve(name);
            Map<String, String> env = new HashMap<>(TOPOLOGY_DEFAULTS);
            env.putAll(services);
            env.put("PARLEY_STATE_DIR", dir.resolve("streams").toString());
            env.put("PARLEY_TOPOLOGY_RPC_BIND", HOST);
            env.put("PARLEY_TOPOLOGY_RPC_PORT", String.valueOf(ports.topologies().get(i - 1)));
            env.put("PARLEY_TOPOLOGY_ADVERTISED_HOST", HOST);
            env.put("PARLEY_STANDBY_REPLICAS", String.valueOf(s.standbyReplicas()));
            nodes.add(node(s, name, NodeRole.TOPOLOGY, env, dir, ports("rpc", ports.topologies().get(i - 1)),
                    new HttpReadiness(URI.create(topologyUrls.get(i - 1) + "/health"), "RUNNING")));
        }

        for (int i = 1; i <= s.gateways(); i++) {
            String name = NodeRole.GATEWAY.nodeName(i);
            Map<String, String> env = new HashMap<>(GATEWAY_DEFAULTS);
            env.putAll(services);
            env.put("PARLEY_GATEWAY_ID", "gw-" + i);
            env.put("PARLEY_GATEWAY_BIND", HOST);
            env.put("PARLEY_GATEWAY_PORT", String.valueOf(ports.gateways().get(i - 1)));
            env.put("PARLEY_TOPOLOGY_URLS", String.join(",", topologyUrls));
            env.put("PARLEY_DEV_MODE", "true");
            nodes.add(node(s, name, NodeRole.GATEWAY, env, s.dataDir().resolve(name), ports("http", ports.gateways().get(i - 1)),
                    new HttpReadiness(URI.create(url(ports.gateways().get(i - 1)) + "/health"), "")));
        }
        return new ClusterPlan(s, ports, clusterId, nodes);
    }

    /**
     * The brokers' settings beyond the single node's defaults: replication of Kafka's own topics as Parley's
     * (compose: RF 3, min ISR 2), no unclean leader election, no topic auto-creation.
     */
    public static Map<String, String> brokerConfig(ClusterSettings s) {
        String rf = String.valueOf(s.replicationFactor());
        String isr = String.valueOf(s.minInsyncReplicas());
        Map<String, String> c = new LinkedHashMap<>();
        c.put("default.replication.factor", rf);
        c.put("min.insync.replicas", isr);
        c.put("offsets.topic.replication.factor", rf);
        c.put("transaction.state.log.replication.factor", rf);
        c.put("transaction.state.log.min.isr", isr);
        c.put("share.coordinator.state.topic.replication.factor", rf);
        c.put("share.coordinator.state.topic.min.isr", isr);
        c.put("unclean.leader.election.enable", "false");
        c.put("auto.create.topics.enable", "false");
        return c;
    }

    public String bootstrapServers() {
        return bootstrap(ports);
    }

    public URI registryUrl() {
        return URI.create(url(ports.registry()));
    }

    public List<URI> topologyUrls() {
        return ports.topologies().stream().map(p -> URI.create(url(p))).toList();
    }

    public List<URI> gatewayUrls() {
        return ports.gateways().stream().map(p -> URI.create(url(p))).toList();
    }

    /** The nodes of one role, in order. */
    public List<NodeSpec> nodes(NodeRole role) {
        return nodes.stream().filter(n -> n.role() == role).toList();
    }

    private static NodeSpec node(ClusterSettings s, String name, NodeRole role, Map<String, String> env, Path dir,
                                 Map<String, Integer> ports, ReadinessProbe readiness) {
        List<String> options = new ArrayList<>(role.heap());
        options.addAll(s.javaOptions());
        return new NodeSpec(name, role, role.mainClass(), env, options, dir, s.dataDir().resolve("logs").resolve(name + ".log"), ports, readiness);
    }

    private static Map<String, Integer> ports(Object... labelsAndPorts) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < labelsAndPorts.length; i += 2) {
            m.put((String) labelsAndPorts[i], (Integer) labelsAndPorts[i + 1]);
        }
        return m;
    }

    private static String bootstrap(PortPlan ports) {
        return ports.brokers().stream().map(p -> HOST + ":" + p).collect(Collectors.joining(","));
    }

    private static String url(int port) {
        return "http://" + HOST + ":" + port;
    }
}
