package dev.parley.ops.broker;

import dev.parley.ops.net.Ports;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import kafka.server.BrokerServer;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeFeaturesOptions;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.SupportedVersionRange;
import org.apache.kafka.clients.admin.UpdateFeaturesOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.apache.kafka.server.common.TransactionVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka node in KRaft combined mode ({@code process.roles=broker,controller}), running in this JVM
 * from the {@code kafka_2.13} server classes: the local runner's single broker, or one node of
 * {@code parley cluster} (in a JVM of its own, {@link BrokerMain}; {@link ClusterMembership} says which). It is
 * not a test fixture (tests use {@code KafkaClusterTestKit} through {@code parley-testkit}).
 *
 * <p>Storage is formatted with Kafka's own {@link Formatter} only when the data directory holds no
 * {@code meta.properties} yet; a later start on the same directory keeps every topic and record.
 * The controller quorum is static ({@code controller.quorum.voters}, {@code kraft.version} 0), so a single
 * node's controller port may differ from one start to the next (a cluster's nodes keep theirs).
 *
 * <p>After start-up the broker answers {@code describeCluster}, and the cluster's
 * {@code transaction.version} feature is 2 (KIP-890): new data directories are formatted with it, older
 * ones are upgraded, and the start fails if that is impossible.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    public static final String CLIENT_LISTENER = "PLAINTEXT";
    public static final String CONTROLLER_LISTENER = "CONTROLLER";
    /** Sub-directory of the data dir holding Kafka's log and metadata. */
    public static final String KAFKA_SUBDIR = "kafka";
    static final short REQUIRED_TRANSACTION_VERSION = TransactionVersion.TV_2.featureLevel();
    private static final int PICKED_CONTROLLER_PORT_ATTEMPTS = 3;

    /** Held while the broker runs: Kafka itself locks the log dir only after the controller started on it. */
    public static final String LOCK_FILE = ".kafka.lock";

    private final BrokerSettings settings;
    private final KafkaRaftServer server;
    private final FileLock dataDirLock;
    private final String clusterId;
    private final boolean formattedNow;
    private final int clientPort;
    private final int controllerPort;
    private final short transactionVersion;
    private final short metadataVersion;
    private final Duration startupTime;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafkaBroker(BrokerSettings settings, KafkaRaftServer server, FileLock dataDirLock, String clusterId,
                                boolean formattedNow, int clientPort, int controllerPort, short transactionVersion,
                                short metadataVersion, Duration startupTime) {
        this.settings = settings;
        this.server = server;
        this.dataDirLock = dataDirLock;
        this.clusterId = clusterId;
        this.formattedNow = formattedNow;
        this.clientPort = clientPort;
        this.controllerPort = controllerPort;
        this.transactionVersion = transactionVersion;
        this.metadataVersion = metadataVersion;
        this.startupTime = startupTime;
    }

    /**
     * Formats the data dir if needed, starts the broker and returns once it answers clients with
     * {@code transaction.version} 2.
     *
     * @throws BrokerStartException when it cannot start (port in use, unreadable data dir, timeout, ...)
     */
    public static EmbeddedKafkaBroker start(BrokerSettings settings) {
        long t0 = System.nanoTime();
        try {
            Ports.requireFree(settings.bindHost(), settings.clientPort(), "Kafka client port", "--kafka-port",
                    "PARLEY_KAFKA_PORT");
            Ports.requireFree(settings.bindHost(), settings.controllerPort(), "Kafka controller port",
                    "--controller-port", "PARLEY_CONTROLLER_PORT");
        } catch (Ports.PortInUseException e) {
            throw new BrokerStartException(e.getMessage(), e);
        }
        FileLock lock = lockDataDir(settings.dataDir());
        try {
            return startLocked(settings, lock, t0);
        } catch (BrokerStartException e) {
            release(lock);
            throw e;
        } catch (RuntimeException e) {
            release(lock);
            throw new BrokerStartException("the Kafka broker failed to start: " + e.getMessage(), e);
        }
    }

    private static EmbeddedKafkaBroker startLocked(BrokerSettings settings, FileLock lock, long t0) {
        Path logDir = settings.dataDir().resolve(KAFKA_SUBDIR).toAbsolutePath().normalize();
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new BrokerStartException("cannot create the Kafka data directory " + logDir + ": " + e.getMessage(), e);
        }
        // The format does not depend on the ports (static quorum), so a retry below reuses it.
        Storage storage = formatIfNeeded(logDir, settings.membership());
        boolean pickControllerPort = settings.controllerPort() == 0;
        for (int attempt = 1; ; attempt++) {
            int controllerPort = pickControllerPort ? pickFreePort(settings.bindHost()) : settings.controllerPort();
            KafkaConfig config = KafkaConfig.fromProps(brokerProperties(settings, logDir, controllerPort), false);
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            try {
                server.startup();
            } catch (RuntimeException e) {
                shutdownQuietly(server);
                boolean controllerBindFailure = isBindFailure(e) && mentionsPort(e, controllerPort);
                if (pickControllerPort && controllerBindFailure && attempt < PICKED_CONTROLLER_PORT_ATTEMPTS) {
                    LOG.info("controller port {} was taken meanwhile; retrying with another one", controllerPort);
                    continue;
                }
                throw startFailure(settings, controllerPort, e);
            }
            try {
                int clientPort = settings.clientPort() != 0 ? settings.clientPort() : boundClientPort(server);
                String bootstrap = settings.advertisedHost() + ":" + clientPort;
                short[] versions = awaitReadyWithTransactionVersion2(bootstrap, settings.membership().nodeId(),
                        settings.startTimeout(), t0);
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(settings, server, lock, storage.clusterId(),
                        storage.formattedNow(), clientPort, controllerPort, versions[0], versions[1], took);
                LOG.info("Kafka broker (node {}) ready in {} ms on {} (controller {}:{}, cluster id {}, {} data dir {}),"
                                + " transaction.version={} (KIP-890 on), metadata.version level {}",
                        settings.membership().nodeId(), took.toMillis(), bootstrap, settings.bindHost(), controllerPort, storage.clusterId(),
                        storage.formattedNow() ? "formatted new" : "existing", logDir, versions[0], versions[1]);
                return broker;
            } catch (RuntimeException e) {
                shutdownQuietly(server);
                throw e instanceof BrokerStartException ? e : new BrokerStartException(e.getMessage(), e);
            }
        }
    }

    /** e.g. {@code 127.0.0.1:9092}. */
    public String bootstrapServers() {
        return settings.advertisedHost() + ":" + clientPort;
    }

    /** The PLAINTEXT port actually bound (the ephemeral one when 0 was asked). */
    public int clientPort() {
        return clientPort;
    }

    /** The CONTROLLER port actually bound. */
    public int controllerPort() {
        return controllerPort;
    }

    public String clusterId() {
        return clusterId;
    }

    /** True when this start formatted the data dir; false when it reused an existing one. */
    public boolean formattedNow() {
        return formattedNow;
    }

    /** The finalized {@code transaction.version} seen after start (2). */
    public short transactionVersion() {
        return transactionVersion;
    }

    /** The finalized {@code metadata.version} feature level seen after start. */
    public short metadataVersionLevel() {
        return metadataVersion;
    }

    /** From {@link #start} until ready. */
    public Duration startupTime() {
        return startupTime;
    }

    public Path dataDir() {
        return settings.dataDir();
    }

    /** Client properties with the bootstrap servers set. */
    public Map<String, Object> clientProps() {
        return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    }

    /** Controlled shutdown of the broker, then the controller; waits until both stopped. Keeps the data. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long t0 = System.nanoTime();
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            release(dataDirLock);
        }
        LOG.info("Kafka broker on {} stopped in {} ms; data kept in {}", bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), settings.dataDir().resolve(KAFKA_SUBDIR));
    }

    // ---------------------------------------------------------------------------------------------

    static Properties brokerProperties(BrokerSettings s, Path logDir, int controllerPort) {
        Properties p = new Properties();
        ClusterMembership m = s.membership();
        p.put("node.id", String.valueOf(m.nodeId()));
        p.put("process.roles", "broker,controller");
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", CLIENT_LISTENER);
        p.put("listener.security.protocol.map", CLIENT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("listeners", CLIENT_LISTENER + "://" + hostForUrl(s.bindHost()) + ":" + s.clientPort() + ","
                + CONTROLLER_LISTENER + "://" + hostForUrl(s.bindHost()) + ":" + controllerPort);
        // Port 0 in advertised.listeners is replaced by the bound port when the broker registers.
        p.put("advertised.listeners", CLIENT_LISTENER + "://" + hostForUrl(s.advertisedHost()) + ":" + s.clientPort());
        p.put("controller.quorum.voters", m.isSingleNode()
                ? m.nodeId() + "@" + hostForUrl(s.advertisedHost()) + ":" + controllerPort
                : m.quorumVoters());
        p.put("log.dirs", logDir.toString());
        p.put("metadata.log.dir", logDir.toString());
        // One node: every internal topic has one replica (a cluster's nodes override these).
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        p.putAll(s.overrides());
        return p;
    }

    private record Storage(String clusterId, boolean formattedNow) {
    }

    /** Formats {@code logDir} with Kafka's Formatter unless it already holds a meta.properties. */
    private static Storage formatIfNeeded(Path logDir, ClusterMembership membership) {
        int nodeId = membership.nodeId();
        MetaPropertiesEnsemble ensemble;
        try {
            ensemble = new MetaPropertiesEnsemble.Loader()
                    .addLogDirs(List.of(logDir.toString()))
                    .addMetadataLogDir(logDir.toString())
                    .load();
        } catch (IOException e) {
            throw new BrokerStartException("cannot read the Kafka data directory " + logDir + ": " + e.getMessage(), e);
        }
        if (!ensemble.errorLogDirs().isEmpty()) {
            throw new BrokerStartException("cannot read meta.properties in " + ensemble.errorLogDirs()
                    + "; fix or remove that directory (this deletes the local history)");
        }
        if (!ensemble.logDirProps().isEmpty()) {
            String clusterId = ensemble.clusterId().orElseThrow(
                    () -> new BrokerStartException("meta.properties in " + logDir + " has no cluster id"));
            if (ensemble.nodeId().isPresent() && ensemble.nodeId().getAsInt() != nodeId) {
                throw new BrokerStartException(logDir + " was formatted for node " + ensemble.nodeId().getAsInt()
                        + ", not for node " + nodeId);
            }
            if (membership.clusterId() != null && !membership.clusterId().equals(clusterId)) {
                throw new BrokerStartException(logDir + " belongs to cluster " + clusterId + ", not to "
                        + membership.clusterId() + "; use another data dir, or delete this one (its history with it)");
            }
            return new Storage(clusterId, false);
        }
        String clusterId = membership.clusterId() != null ? membership.clusterId() : Uuid.randomUuid().toString();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(print)
                    .setNodeId(nodeId)
                    .setClusterId(clusterId)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(logDir.toString())
                    .addDirectory(logDir.toString())
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setFeatureLevel(TransactionVersion.FEATURE_NAME, REQUIRED_TRANSACTION_VERSION)
                    .run();
        } catch (Exception e) {
            throw new BrokerStartException("formatting " + logDir + " failed: " + e.getMessage(), e);
        }
        out.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank())
                .forEach(l -> LOG.debug("format: {}", l.trim()));
        return new Storage(clusterId, true);
    }

    /**
     * Waits until the broker lists itself in {@code describeCluster}, then makes sure the cluster's
     * {@code transaction.version} is 2. Returns {transaction.version, metadata.version level}.
     */
    private static short[] awaitReadyWithTransactionVersion2(String bootstrap, int nodeId, Duration timeout, long t0) {
        long deadline = t0 + timeout.toNanos();
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "parley-embedded-broker-check");
        try (Admin admin = Admin.create(props)) {
            while (true) {
                try {
                    List<Integer> ids = admin.describeCluster(new DescribeClusterOptions().timeoutMs(remainingMs(deadline)))
                            .nodes().get(remainingMs(deadline), TimeUnit.MILLISECONDS)
                            .stream().map(Node::id).toList();
                    if (ids.contains(nodeId)) {
                        break;
                    }
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    LOG.debug("broker not ready yet: {}", e.toString());
                }
                pause(deadline, "the broker to answer describeCluster on " + bootstrap, timeout);
            }
            FeatureMetadata features = describeFeatures(admin, deadline);
            short tv = finalizedLevel(features, TransactionVersion.FEATURE_NAME);
            if (tv < REQUIRED_TRANSACTION_VERSION) {
                upgradeTransactionVersion(admin, features, tv, deadline);
                while (tv < REQUIRED_TRANSACTION_VERSION) {
                    pause(deadline, "transaction.version " + REQUIRED_TRANSACTION_VERSION + " to be finalized", timeout);
                    features = describeFeatures(admin, deadline);
                    tv = finalizedLevel(features, TransactionVersion.FEATURE_NAME);
                }
            }
            return new short[] {tv, finalizedLevel(features, MetadataVersion.FEATURE_NAME)};
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerStartException("interrupted while waiting for the broker on " + bootstrap, e);
        }
    }

    private static void upgradeTransactionVersion(Admin admin, FeatureMetadata features, short current, long deadline)
            throws InterruptedException {
        SupportedVersionRange supported = features.supportedFeatures().get(TransactionVersion.FEATURE_NAME);
        if (supported == null || supported.maxVersion() < REQUIRED_TRANSACTION_VERSION) {
            throw new BrokerStartException("the broker supports transaction.version up to "
                    + (supported == null ? "none" : supported.maxVersion()) + " but Parley needs "
                    + REQUIRED_TRANSACTION_VERSION + " (KIP-890)");
        }
        LOG.warn("the cluster's transaction.version is {}; upgrading it to {} (KIP-890 transaction defenses)",
                current, REQUIRED_TRANSACTION_VERSION);
        try {
            admin.updateFeatures(
                    Map.of(TransactionVersion.FEATURE_NAME,
                            new FeatureUpdate(REQUIRED_TRANSACTION_VERSION, FeatureUpdate.UpgradeType.UPGRADE)),
                    new UpdateFeaturesOptions().timeoutMs(remainingMs(deadline)))
                    .all().get(remainingMs(deadline), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new BrokerStartException("could not upgrade transaction.version to " + REQUIRED_TRANSACTION_VERSION
                    + ": " + cause.getMessage(), cause);
        }
    }

    private static FeatureMetadata describeFeatures(Admin admin, long deadline) throws InterruptedException {
        try {
            return admin.describeFeatures(new DescribeFeaturesOptions().timeoutMs(remainingMs(deadline)))
                    .featureMetadata().get(remainingMs(deadline), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new BrokerStartException("could not describe the cluster's features: " + cause.getMessage(), cause);
        }
    }

    static short finalizedLevel(FeatureMetadata features, String feature) {
        FinalizedVersionRange range = features.finalizedFeatures().get(feature);
        return range == null ? 0 : range.maxVersionLevel();
    }

    private static int remainingMs(long deadlineNanos) {
        long ms = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ms));
    }

    private static void pause(long deadlineNanos, String what, Duration timeout) throws InterruptedException {
        if (System.nanoTime() >= deadlineNanos) {
            throw new BrokerStartException("timed out after " + timeout.toSeconds() + " s waiting for " + what);
        }
        Thread.sleep(100);
    }

    /**
     * The PLAINTEXT port the socket server bound. {@link KafkaRaftServer} keeps its {@link BrokerServer} in a
     * private field, so it is read reflectively; this is the only way to learn an ephemeral port of a
     * {@code KafkaRaftServer}.
     */
    private static int boundClientPort(KafkaRaftServer server) {
        try {
            Method brokerAccessor = KafkaRaftServer.class.getDeclaredMethod("broker");
            brokerAccessor.setAccessible(true);
            Object option = brokerAccessor.invoke(server);
            BrokerServer broker = (BrokerServer) ((scala.Option<?>) option).get();
            return broker.socketServer().boundPort(ListenerName.normalised(CLIENT_LISTENER));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new BrokerStartException("the broker started, but its ephemeral client port could not be read"
                    + " (Kafka's internals changed?); give a fixed port instead", e);
        }
    }

    /** The controller port when 0 is asked: KRaft's static voter list needs the real number before start. */
    private static int pickFreePort(String host) {
        try {
            return Ports.pickFree(host);
        } catch (IllegalStateException e) {
            throw new BrokerStartException(e.getMessage(), e);
        }
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (t instanceof java.net.BindException || (m != null && m.contains("failed to bind"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean mentionsPort(Throwable e, int port) {
        Pattern hostPort = Pattern.compile(":" + port + "(?!\\d)");
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (port != 0 && t.getMessage() != null && hostPort.matcher(t.getMessage()).find()) {
                return true;
            }
        }
        return false;
    }

    private static BrokerStartException startFailure(BrokerSettings s, int controllerPort, RuntimeException e) {
        if (isBindFailure(e)) {
            boolean controller = mentionsPort(e, controllerPort) && !mentionsPort(e, s.clientPort());
            String which = controller
                    ? "controller port " + controllerPort + " (--controller-port / PARLEY_CONTROLLER_PORT)"
                    : "client port " + s.clientPort() + " (--kafka-port / PARLEY_KAFKA_PORT)";
            return new BrokerStartException("Kafka could not bind its " + which + " on " + s.bindHost()
                    + ": the port is in use. Pick another port, or 0 for an ephemeral one.", e);
        }
        return new BrokerStartException("the Kafka broker failed to start: " + Optional.ofNullable(e.getMessage())
                .orElse(e.getClass().getName()), e);
    }

    /**
     * One broker per data dir: a second one would start its controller on the same metadata log before
     * Kafka's own log-dir lock (taken later by the broker part) stops it, and damage the running one's log.
     */
    private static FileLock lockDataDir(Path dataDir) {
        Path lockFile = dataDir.resolve(LOCK_FILE).toAbsolutePath().normalize();
        FileChannel channel = null;
        try {
            Files.createDirectories(dataDir);
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException sameJvm) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new BrokerStartException("the data dir " + dataDir.toAbsolutePath().normalize()
                        + " is in use by another running Parley broker (" + lockFile + " is locked). Stop that one"
                        + " first, or use another data dir (--data-dir / PARLEY_DATA_DIR).");
            }
            return lock;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new BrokerStartException("cannot lock the data dir " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private static void release(FileLock lock) {
        try {
            lock.release();
        } catch (IOException e) {
            LOG.debug("releasing {}", lock, e);
        } finally {
            closeQuietly(lock.channel());
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("closing {}", channel, e);
            }
        }
    }

    private static void shutdownQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.debug("while shutting down a broker that failed to start", e);
        }
    }

    private static String hostForUrl(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
