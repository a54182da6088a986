package dev.parley.schemas.registry.server;

import dev.parley.schemas.config.Env;
import dev.parley.schemas.config.Loopback;
import java.net.InetAddress;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parley's Confluent-API-compatible schema registry: the Confluent REST API on Jetty, state in a compacted
 * Kafka topic. Run ONE instance per storage topic (it assigns ids without fencing another writer); for
 * high availability in production use Confluent Schema Registry, Apicurio Registry (ccompat API) or
 * Karapace, which speak the same API and wire format. See docs/registry.md.
 *
 * <pre>
 * try (SchemaRegistryServer registry = SchemaRegistryServer.start(RegistryServerConfig.defaults().withPort(0), bootstrap)) {
 *     String url = registry.url().toString(); // schema.registry.url
 * }
 * </pre>
 */
public final class SchemaRegistryServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryServer.class);

    private final RegistryServerConfig config;
    private final KafkaRegistryStore store;
    private final Server jetty;
    private final URI url;

    private SchemaRegistryServer(RegistryServerConfig config, KafkaRegistryStore store, Server jetty, URI url) {
        this.config = config;
        this.store = store;
        this.jetty = jetty;
        this.url = url;
    }

    /** {@link #start(RegistryServerConfig)} with the given Kafka bootstrap servers. */
    public static SchemaRegistryServer start(RegistryServerConfig config, String bootstrapServers) {
        return start(config.withBootstrapServers(bootstrapServers));
    }

    /**
     * Creates the storage topic if needed, reads it to its end, then serves HTTP.
     *
     * @throws IllegalStateException when Kafka or the port is unusable, or when it would serve anonymous writes
     *                               beyond loopback ({@link RegistryServerConfig#exposureProblem()})
     */
    public static SchemaRegistryServer start(RegistryServerConfig config) {
        config.exposureProblem().ifPresent(problem -> {
            throw new IllegalStateException(problem);
        });
        RegistryState state = new RegistryState();
        KafkaRegistryStore store = KafkaRegistryStore.open(config.bootstrapServers(), config.topic(), config.replicationFactor(),
                config.writeTimeout(), config.initTimeout(), state::apply);
        SchemaRegistryCore core = new SchemaRegistryCore(state, store, config.defaultCompatibility());
        QueuedThreadPool threads = new QueuedThreadPool(32, 2);
        threads.setName("parley-registry-http");
        Server jetty = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
        connector.setHost(config.host());
        connector.setPort(config.port());
        jetty.addConnector(connector);
        jetty.setHandler(new RegistryHttpHandler(new RegistryRoutes(core), config.basicAuth()));
        jetty.setStopTimeout(5_000);
        try {
            jetty.start();
        } catch (Exception e) {
            stopQuietly(jetty);
            store.close();
            throw new IllegalStateException("could not serve the schema registry on " + config.host() + ":" + config.port()
                    + ": " + e.getMessage(), e);
        }
        URI url = URI.create("http://" + urlHost(config.host()) + ":" + connector.getLocalPort());
        LOG.info("schema registry serving {} (storage topic {}, {} records loaded, default compatibility {}{})", url,
                config.topic(), state.appliedCount(), config.defaultCompatibility(),
                config.basicAuth().isPresent() ? ", basic auth on" : ", no auth");
        if (config.basicAuth().isEmpty() && !Loopback.isLoopback(config.host())) {
            LOG.warn("the schema registry on {} serves anonymous writes (PARLEY_REGISTRY_ALLOW_ANONYMOUS=true)", url);
        }
        return new SchemaRegistryServer(config, store, jetty, url);
    }

    /** Base URL to give clients as {@code schema.registry.url}, e.g. {@code http://127.0.0.1:40123}. */
    public URI url() {
        return url;
    }

    public int port() {
        return url.getPort();
    }

    public RegistryServerConfig config() {
        return config;
    }

    /** Stops serving, then closes the Kafka clients. Registered schemas stay in the topic. */
    @Override
    public void close() {
        stopQuietly(jetty);
        store.close();
        LOG.info("schema registry at {} stopped", url);
    }

    /** Runs the registry with {@code PARLEY_REGISTRY_*} settings from the environment until the process is stopped. */
    public static void main(String[] args) throws InterruptedException {
        SchemaRegistryServer server = start(RegistryServerConfig.fromEnv(Env.system()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "parley-registry-shutdown"));
        System.out.println("Parley schema registry listening on " + server.url());
        stopped.await();
    }

    private static String urlHost(String bindHost) {
        if (bindHost.isEmpty() || bindHost.equals("0.0.0.0") || bindHost.equals("::") || bindHost.equals("[::]")) {
            return InetAddress.getLoopbackAddress().getHostAddress();
        }
        return bindHost.contains(":") && !bindHost.startsWith("[") ? "[" + bindHost + "]" : bindHost;
    }

    private static void stopQuietly(Server jetty) {
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.warn("stopping the registry's HTTP server: {}", e.toString());
        }
    }
}
