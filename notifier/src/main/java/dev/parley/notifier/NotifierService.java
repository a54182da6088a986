package dev.parley.notifier;

import dev.parley.avro.notify.Notification;
import dev.parley.avro.notify.NotificationDeadLetter;
import dev.parley.notifier.delivery.DeliveryWorker;
import dev.parley.notifier.delivery.EndpointDelivery;
import dev.parley.notifier.delivery.WebhookEndpoint;
import dev.parley.notifier.presence.PresenceView;
import dev.parley.notifier.presence.RegistryPresence;
import dev.parley.notifier.streams.NotifierTopicNames;
import dev.parley.notifier.streams.NotifierTopology;
import dev.parley.schemas.serde.ParleyAvroSerde;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One notifier process: the {@code parley-notifier} Streams application (decides who to notify and when,
 * writes notifications exactly-once) and the delivery worker (POSTs them to the webhooks), plus /metrics and
 * /health. It only reads the committed log: nothing on the path of a send waits for it.
 */
public final class NotifierService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NotifierService.class);

    private final NotifierConfig config;
    private final NotifierTopicNames topics;
    private final KafkaStreams streams;
    private final DeliveryWorker worker;
    private final ScheduledExecutorService retries;
    private final Server http;
    private final NotifierMetrics metrics;
    private final int port;
    private RegistryPresence presence; // closed with the service when it started it

    private NotifierService(NotifierConfig config, NotifierTopicNames topics, KafkaStreams streams, DeliveryWorker worker,
                            ScheduledExecutorService retries, Server http, NotifierMetrics metrics, int port) {
        this.config = config;
        this.topics = topics;
        this.streams = streams;
        this.worker = worker;
        this.retries = retries;
        this.http = http;
        this.metrics = metrics;
        this.port = port;
    }

    /**
     * Starts it with presence from the connection registry ({@code parley.presence}, written by the gateways): a
     * user online on any device gets no notification.
     */
    public static NotifierService start(NotifierConfig config) {
        RegistryPresence presence = RegistryPresence.start(config, Duration.ofSeconds(30));
        try {
            NotifierService service = start(config, presence);
            service.presence = presence;
            return service;
        } catch (RuntimeException e) {
            presence.close();
            throw e;
        }
    }

    /** Provisions its topics, starts the Streams application, the delivery worker and the HTTP port. */
    public static NotifierService start(NotifierConfig config, PresenceView presence) {
        NotifierTopicNames topics = new NotifierTopicNames(config.topics(), config.applicationId());
        int logPartitions;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()))) {
            logPartitions = NotifierTopics.provision(admin, topics, config.topicSettings(), Duration.ofDays(7), Duration.ofDays(30));
        }
        NotifierMetrics metrics = new NotifierMetrics(config.applicationId());
        KafkaStreams streams = new KafkaStreams(NotifierTopology.build(topics, logPartitions, config.serdeConfig(),
                config.digest(), config.maxAge().toMillis(), config.threadRetention(), presence, metrics), streamsProperties(config));
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("notifier stream thread failed; replacing it (its transaction is aborted and retried)", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> LOG.info("notifier {} -> {}", before, now));
        metrics.bind(streams);

        ScheduledExecutorService retries = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "parley-notifier-retries");
            t.setDaemon(true);
            return t;
        });
        DeliveryWorker worker = null;
        if (!config.webhooks().isEmpty()) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(config.webhookTimeout())
                    .followRedirects(HttpClient.Redirect.NEVER).build();
            List<EndpointDelivery> endpoints = new ArrayList<>();
            for (WebhookEndpoint e : config.webhooks()) {
                CircuitBreakerConfig breaker = CircuitBreakerConfig.from(EndpointDelivery.defaultBreaker(config.webhookTimeout()))
                        .waitDurationInOpenState(config.circuitOpen()).build();
                EndpointDelivery d = new EndpointDelivery(e, client, config.webhookTimeout(), config.retry(), breaker, retries,
                        metrics, Clock.systemUTC());
                metrics.gauge("parley_notifier_circuit_open", "1 while the endpoint's circuit breaker refuses calls",
                        () -> d.circuitState() == io.github.resilience4j.circuitbreaker.CircuitBreaker.State.OPEN ? 1 : 0,
                        "endpoint", e.name());
                endpoints.add(d);
            }
            worker = new DeliveryWorker(topics.notifications(), topics.deadLetters(), consumer(config), producer(config),
                    ParleyAvroSerde.forValue(Notification.class, config.serdeConfig()).deserializer(), endpoints,
                    config.maxInFlight(), Duration.ofMillis(200), Clock.systemUTC());
            DeliveryWorker w = worker;
            metrics.gauge("parley_notifier_in_flight", "notifications being delivered (queued for an endpoint or between retries)",
                    w::inFlight);
        } else {
            LOG.warn("no webhook endpoints (PARLEY_NOTIFIER_WEBHOOKS): notifications are written to {} but not delivered",
                    topics.notifications());
        }

        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(config.bindHost());
        connector.setPort(config.port());
        server.addConnector(connector);
        DeliveryWorker w = worker;
        server.setHandler(new NotifierHttp(metrics::scrape,
                () -> isUp(streams) && (w == null || w.isHealthy()), () -> streams.state().name()));
        try {
            server.start();
        } catch (Exception e) {
            streams.close();
            throw new IllegalStateException("cannot listen on " + config.bindHost() + ":" + config.port()
                    + " for the notifier's /metrics (PARLEY_NOTIFIER_PORT): " + e.getMessage(), e);
        }
        streams.start();
        if (worker != null) {
            Thread t = new Thread(worker, "parley-notifier-delivery");
            t.setDaemon(true);
            t.start();
        }
        LOG.info("notifier {} started: delay {}, {} webhook endpoint(s) {}, metrics on {}:{}", config.applicationId(),
                config.digest().delay(), config.webhooks().size(), config.webhooks(), config.bindHost(), connector.getLocalPort());
        return new NotifierService(config, topics, streams, worker, retries, server, metrics, connector.getLocalPort());
    }

    static Properties streamsProperties(NotifierConfig c) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, c.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, String.valueOf(c.commitInterval().toMillis()));
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1");
        p.put(StreamsConfig.STATE_DIR_CONFIG, c.stateDir().toAbsolutePath().toString());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, String.valueOf(c.topicSettings().replicationFactor()));
        p.put(StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG), String.valueOf(c.topicSettings().minInsyncReplicas()));
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        // The log is read from the beginning (members and threads are built from it); PARLEY_NOTIFIER_MAX_AGE keeps
        // old messages from notifying anyone.
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        c.kafkaOverrides().forEach(p::put);
        return p;
    }

    private static KafkaConsumer<String, byte[]> consumer(NotifierConfig c) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, c.applicationId() + "-delivery");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, c.applicationId() + "-delivery-" + c.instance());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
        c.kafkaOverrides().forEach(p::put);
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static KafkaProducer<String, NotificationDeadLetter> producer(NotifierConfig c) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, c.applicationId() + "-dlq-" + c.instance());
        // Stable across restarts of this process, so a restart aborts what a crash left open at once.
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, c.applicationId() + "-delivery-" + c.instance());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 30_000);
        c.kafkaOverrides().forEach(p::put);
        return new KafkaProducer<>(p, new StringSerializer(),
                ParleyAvroSerde.forValue(NotificationDeadLetter.class, c.serdeConfig()).serializer());
    }

    private static boolean isUp(KafkaStreams s) {
        return s.state() == KafkaStreams.State.RUNNING || s.state() == KafkaStreams.State.REBALANCING;
    }

    public boolean isRunning() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    public KafkaStreams streams() {
        return streams;
    }

    public NotifierConfig config() {
        return config;
    }

    public NotifierTopicNames topics() {
        return topics;
    }

    /** Presence as this notifier sees it (the connection registry, when it started it). */
    public PresenceView presence() {
        return presence == null ? PresenceView.NOBODY_ONLINE : presence;
    }

    public NotifierMetrics metrics() {
        return metrics;
    }

    /** Base URL of /metrics and /health. */
    public URI url() {
        String host = config.bindHost().equals("0.0.0.0") ? "127.0.0.1" : config.bindHost();
        return URI.create("http://" + host + ":" + port);
    }

    @Override
    public void close() {
        if (worker != null) {
            worker.close();
        }
        retries.shutdownNow();
        metrics.stopStreamsMetrics(); // before the stores close (see NotifierMetrics)
        streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        try {
            http.stop();
        } catch (Exception e) {
            LOG.warn("notifier HTTP did not stop cleanly: {}", e.getMessage());
        }
        metrics.close();
        if (presence != null) {
            presence.close();
        }
    }
}
