package dev.parley.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.api.query.ChannelQueries;
import dev.parley.api.query.EventPage;
import dev.parley.api.query.QueryClient;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.schemas.serde.ParleyAvroSerde;
import dev.parley.testkit.ChildJvm;
import dev.parley.testkit.KafkaTestCluster;
import dev.parley.testkit.SharedKafka;
import dev.parley.topology.state.StoreNames;
import dev.parley.topology.support.Commands;
import dev.parley.topology.support.TopologyEnv;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interactive queries serve committed state only (KIP-892: transactional state stores, READ_COMMITTED queries),
 * proven against a real abort: an instance processes commands whose transaction it never commits (commit
 * interval of five minutes); its writes are in Kafka (a read_uncommitted consumer of the changelog sees them) but not
 * in its answers. Then it is SIGKILLed, the transaction aborts, and the instance that takes over on the same
 * state dir processes the same commands again into byte-identical events. The control case shows what
 * READ_UNCOMMITTED queries would have served.
 */
@ExtendWith(SharedKafka.class)
class CommittedReadsIT {

    private static KafkaTestCluster kafka;
    /** Topics of its own per test: the topology refuses to start next to another application's events. */
    private TopologyEnv env;

    @BeforeAll
    static void broker(KafkaTestCluster cluster) {
        kafka = cluster;
    }

    @BeforeEach
    void setUp() {
        env = new TopologyEnv(kafka, CommittedReadsIT.class, 1);
    }

    @AfterEach
    void tearDown() {
        env.close();
    }

    @Test
    void queriesNeverServeAnOpenTransactionAndItsCommandsComeBackIdenticalAfterTheAbort(@TempDir Path dir) throws Exception {
        String app = "committed-" + System.nanoTime();
        String channel = "general";
        List<byte[]> uncommitted = new ArrayList<>();
        try (ChildJvm doomed = ChildJvm.start(TopologyMain.class, stalled(app, dir, null), "PARLEY_TOPOLOGY_READY")) {
            QueryClient rpc = new QueryClient(List.of(URI.create(doomed.awaitReady(90, TimeUnit.SECONDS))), Duration.ofSeconds(15), env.rpcSecret);
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> rpc.channel("none", ChannelQueries.COMMITTED).isEmpty());
            sendCommands(channel);

            // The writes are in Kafka, in the open transaction ...
            try (KafkaConsumer<byte[], byte[]> changelog = uncommitted(app + "-" + StoreNames.CHANNEL_STATE + "-changelog");
                 KafkaConsumer<byte[], byte[]> log = uncommitted(env.names.log())) {
                List<byte[]> state = new ArrayList<>();
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    changelog.poll(Duration.ofMillis(200)).forEach(r -> state.add(r.value()));
                    log.poll(Duration.ofMillis(10)).forEach(r -> uncommitted.add(r.value()));
                    return state.size() >= 4 && uncommitted.size() >= 2; // event + meta per command; two events
                });
            }
            // ... and the instance that wrote them does not serve them.
            assertThat(rpc.channel(channel, ChannelQueries.COMMITTED)).as("a channel created in an open transaction").isEmpty();
            assertThat(rpc.eventsAfter(channel, 0, 10, ChannelQueries.COMMITTED).events()).isEmpty();
            doomed.kill(); // SIGKILL: the transaction never commits
        }

        try (TopologyService b = TopologyService.start(env.instanceConfig(app, dir, 0))) {
            QueryClient rpc = new QueryClient(List.of(b.rpcUrl()), Duration.ofSeconds(15), env.rpcSecret);
            EventPage page = await().atMost(Duration.ofSeconds(120)).ignoreExceptions()
                    .until(() -> rpc.eventsAfter(channel, 0, 10, ChannelQueries.COMMITTED), p -> p.events().size() == 2);
            assertThat(page.head()).isEqualTo(2);
            List<ChannelEvent> committed = new ArrayList<>();
            try (var consumer = env.logConsumer()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    TopologyEnv.drain(consumer, committed);
                    return committed.size() >= 2;
                });
            }
            assertThat(committed).extracting(ChannelEvent::getSeq).containsExactly(1L, 2L);
            var events = ParleyAvroSerde.forValue(ChannelEvent.class, env.serdeConfig).deserializer();
            List<ChannelEvent> aborted = uncommitted.stream().map(v -> events.deserialize(env.names.log(), v)).toList();
            assertThat(aborted).as("the aborted events and the committed ones are the same events").isEqualTo(committed);
            assertThat(page.events().get(1).path("eventId").asText()).isEqualTo(committed.get(1).getEventId());
        }
    }

    @Test
    void readUncommittedQueriesWouldServeTheOpenTransaction(@TempDir Path dir) throws Exception {
        String app = "uncommitted-" + System.nanoTime();
        String channel = "control";
        try (ChildJvm stalled = ChildJvm.start(TopologyMain.class, stalled(app, dir, "READ_UNCOMMITTED"), "PARLEY_TOPOLOGY_READY")) {
            QueryClient rpc = new QueryClient(List.of(URI.create(stalled.awaitReady(90, TimeUnit.SECONDS))), Duration.ofSeconds(15), env.rpcSecret);
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> rpc.channel("none", ChannelQueries.COMMITTED).isEmpty());
            sendCommands(channel);
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> rpc.eventsAfter(channel, 0, 10, ChannelQueries.COMMITTED).events().size() == 2);
            stalled.kill();
        }
        // A successor on the same state dir fences the open transaction at once (the log's other readers wait for it).
        try (TopologyService b = TopologyService.start(env.instanceConfig(app, dir, 0))) {
            QueryClient rpc = new QueryClient(List.of(b.rpcUrl()), Duration.ofSeconds(15), env.rpcSecret);
            await().atMost(Duration.ofSeconds(120)).ignoreExceptions()
                    .until(() -> rpc.eventsAfter(channel, 0, 10, ChannelQueries.COMMITTED).events().size() == 2);
        }
    }

    /**
     * An instance that processes but does not commit for five minutes (the transaction timeout must exceed the
     * commit interval). Its successor on the same state dir has the same transactional ids and fences it at once.
     */
    private Map<String, String> stalled(String app, Path dir, String isolation) {
        Map<String, String> e = new HashMap<>(env.instanceEnv(app, dir, 0));
        e.put("PARLEY_COMMIT_INTERVAL", "5m");
        e.put("PARLEY_KAFKA_PRODUCER_TRANSACTION_TIMEOUT_MS", "600000");
        if (isolation != null) {
            e.put("PARLEY_KAFKA_DEFAULT_INTERACTIVE_QUERY_ISOLATION_LEVEL", isolation);
        }
        return e;
    }

    private void sendCommands(String channel) {
        Instant t = Instant.now();
        try (var producer = env.commandProducer()) {
            env.send(producer, Commands.create(channel, "alice", false, t));
            env.send(producer, Commands.send(channel, "alice", "k1", "not yet", t.plusSeconds(1)));
            producer.flush();
        }
    }

    private KafkaConsumer<byte[], byte[]> uncommitted(String topic) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, env.kafka.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        TopicPartition tp = new TopicPartition(topic, 0);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> !c.partitionsFor(topic, Duration.ofSeconds(2)).isEmpty());
        c.assign(List.of(tp));
        c.seekToBeginning(List.of(tp));
        return c;
    }
}
