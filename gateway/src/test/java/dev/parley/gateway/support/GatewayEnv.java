package dev.parley.gateway.support;

import dev.parley.gateway.GatewayConfig;
import dev.parley.gateway.GatewayServer;
import dev.parley.gateway.auth.DevTokens;
import dev.parley.schemas.config.Env;
import dev.parley.schemas.registry.server.RegistryServerConfig;
import dev.parley.schemas.registry.server.SchemaRegistryServer;
import dev.parley.schemas.topics.TopicNames;
import dev.parley.schemas.topics.TopicProvisioner;
import dev.parley.schemas.topics.TopicSettings;
import dev.parley.testkit.KafkaTestCluster;
import dev.parley.testkit.RawWsClient;
import dev.parley.testkit.TestNames;
import dev.parley.topology.TopologyConfig;
import dev.parley.topology.TopologyService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.UnaryOperator;
import dev.parley.api.query.ChannelQueries;

import static org.awaitility.Awaitility.await;

/**
 * A whole Parley on one shared broker: the registry, one topology instance and gateways, each on ephemeral
 * ports, with a private topic prefix. Tokens come from the gateways' dev secret.
 */
public final class GatewayEnv implements AutoCloseable {

    public final KafkaTestCluster kafka;
    public final TopicNames names;
    public final SchemaRegistryServer registry;
    public final TopologyService topology;
    public final DevTokens tokens = new DevTokens(GatewayConfig.DEV_SECRET);
    private final List<GatewayServer> gateways = new ArrayList<>();
    private final List<RawWsClient> clients = new ArrayList<>();
    private final Path stateDir;
    /** The topology query RPC's shared secret (tests generate one, as the local runner does). */
    public final String rpcSecret = secret();

    public GatewayEnv(KafkaTestCluster kafka, Class<?> testClass) {
        this.kafka = kafka;
        this.names = new TopicNames(TestNames.prefix(testClass));
        this.registry = SchemaRegistryServer.start(RegistryServerConfig.defaults().withPort(0).withHost("127.0.0.1")
                .withTopics(names), kafka.bootstrapServers());
        try (var admin = kafka.admin()) {
            new TopicProvisioner(admin, names, TopicSettings.of(4, (short) 1)).provision();
        }
        try {
            stateDir = Files.createTempDirectory("parley-gw-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> t = new HashMap<>(common());
        t.put("PARLEY_TOPOLOGY_APPLICATION_ID", "gwtest-" + System.nanoTime());
        t.put("PARLEY_STATE_DIR", stateDir.toString());
        t.put("PARLEY_TOPOLOGY_RPC_PORT", "0");
        t.put("PARLEY_TOPOLOGY_RPC_BIND", "127.0.0.1");
        t.put("PARLEY_TOPOLOGY_RPC_SECRET", rpcSecret);
        t.put("PARLEY_TOPOLOGY_ADVERTISED_HOST", "127.0.0.1");
        t.put("PARLEY_COMMIT_INTERVAL", "20ms");
        this.topology = TopologyService.start(TopologyConfig.fromEnv(Env.of(t)));
        await().atMost(Duration.ofSeconds(90)).until(topology::isRunning);
    }

    private static String secret() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private Map<String, String> common() {
        Map<String, String> env = new HashMap<>();
        env.put("PARLEY_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("PARLEY_SCHEMA_REGISTRY_URL", registry.url().toString());
        env.put("PARLEY_TOPIC_PREFIX", names.prefix());
        env.put("PARLEY_PARTITIONS", "4");
        return env;
    }

    /** Environment of a gateway (also for a child JVM). */
    public Map<String, String> gatewayEnv(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(common());
        env.put("PARLEY_GATEWAY_PORT", "0");
        env.put("PARLEY_GATEWAY_BIND", "127.0.0.1");
        env.put("PARLEY_TOPOLOGY_URLS", topology.rpcUrl().toString());
        env.put("PARLEY_TOPOLOGY_RPC_SECRET", rpcSecret);
        env.put("PARLEY_DEV_MODE", "true");
        // Functional tests pipeline hundreds of sends from one user: no rate limits, no shedding on a busy
        // machine. HardeningIT sets them back where it tests them.
        env.put("PARLEY_RATE_USER_SENDS", "off");
        env.put("PARLEY_RATE_USER_REQUESTS", "off");
        env.put("PARLEY_RATE_CONNECTION_SENDS", "off");
        env.put("PARLEY_RATE_CONNECTION_REQUESTS", "off");
        env.put("PARLEY_SHED_AFTER", "60s");
        env.putAll(overrides);
        return env;
    }

    public GatewayServer gateway(Map<String, String> overrides) {
        return gateway(overrides, UnaryOperator.identity());
    }

    /** A gateway whose client of the topology's queries is wrapped, e.g. in a fault-injecting decorator. */
    public GatewayServer gateway(Map<String, String> overrides, UnaryOperator<ChannelQueries> queries) {
        GatewayServer g = GatewayServer.start(GatewayConfig.fromEnv(Env.of(gatewayEnv(overrides))), null, queries);
        gateways.add(g);
        return g;
    }

    public GatewayServer gateway() {
        return gateway(Map.of());
    }

    /** A connected, welcomed client of {@code user} (closed with the environment). */
    public RawWsClient connect(GatewayServer g, String user, String device, Map<String, Long> resume) {
        return connect(g, user, device, resume, Map.of());
    }

    /** The same, with more fields in the hello (e.g. {@code "batch":true}). */
    public RawWsClient connect(GatewayServer g, String user, String device, Map<String, Long> resume, Map<String, ?> hello) {
        RawWsClient c = track(RawWsClient.connect(g.wsUrl()));
        var welcome = c.hello(token(user), device, resume, hello);
        if (!welcome.path("type").asText().equals("welcome")) {
            throw new AssertionError("no welcome for " + user + "/" + device + ": " + welcome);
        }
        return c;
    }

    /** Closes the client with the environment. */
    public RawWsClient track(RawWsClient c) {
        clients.add(c);
        return c;
    }

    public String token(String user) {
        return tokens.issue(user, Duration.ofHours(1));
    }

    @Override
    public void close() {
        clients.forEach(RawWsClient::close);
        gateways.forEach(GatewayServer::close);
        topology.close();
        registry.close();
    }
}
