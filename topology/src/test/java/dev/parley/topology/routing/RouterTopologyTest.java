package dev.parley.topology.routing;

import static dev.parley.topology.support.DriverFixture.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.routing.RoutingKeys;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.routing.RouteRecord;
import dev.parley.avro.routing.RouteStarted;
import dev.parley.avro.routing.RoutedEvent;
import dev.parley.avro.routing.RoutedRecord;
import dev.parley.schemas.serde.ParleyAvroSerde;
import dev.parley.topology.support.Commands;
import dev.parley.topology.support.DriverFixture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router on TopologyTestDriver, fed with real log records: the sequencer's own output (TopologyTestDriver over the
 * real topology), so the bytes copied can be compared with the log's byte for byte.
 */
class RouterTopologyTest {

    private static final Instant START = Instant.parse("2026-11-30T10:00:00Z");
    private static final int LEASE_MS = 60_000;
    private static final Duration EXPIRY_CHECK = Duration.ofSeconds(5);

    @TempDir
    Path sequencerDir;
    @TempDir
    Path routerDir;
    private DriverFixture sequencer;
    private TopologyTestDriver router;
    private TestInputTopic<String, byte[]> log;
    private TestInputTopic<String, RouteRecord> routes;
    private TestOutputTopic<String, RoutedRecord> deliveries;
    private SimpleMeterRegistry meters;
    private Instant clock = START;
    /** Log records taken from the sequencer so far. */
    private int logRead;

    @BeforeEach
    void start() {
        sequencer = new DriverFixture(sequencerDir, Duration.ofHours(24));
        meters = new SimpleMeterRegistry();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "parley-topology-test-router");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        props.put(StreamsConfig.STATE_DIR_CONFIG, routerDir.toString());
        router = new TopologyTestDriver(RouterTopology.build(sequencer.names, sequencer.serdeConfig, new RouterMetrics(meters), EXPIRY_CHECK),
                props, START);
        log = router.createInputTopic(sequencer.names.log(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
        routes = router.createInputTopic(sequencer.names.routes(), Serdes.String().serializer(),
                ParleyAvroSerde.forValue(RouteRecord.class, sequencer.serdeConfig).serializer());
        deliveries = router.createOutputTopic(sequencer.names.deliveries(), Serdes.String().deserializer(),
                ParleyAvroSerde.forValue(RoutedRecord.class, sequencer.serdeConfig).deserializer());
    }

    @AfterEach
    void close() {
        router.close();
        sequencer.close();
        sequencer.dropRegistry();
    }

    @Test
    void aNewRouteStartsAtTheHeadTheRouterHasRead() {
        sequencer.pipe(Commands.create("general", "alice", false, at(0)));
        sequencer.pipe(Commands.send("general", "alice", "k1", "one", at(1)));
        pipeNewLogRecords();
        deliveries.readRecordsToList(); // the channel's creation, to every gateway

        route("general", "gw-1", 100);
        List<TestRecord<String, RoutedRecord>> out = deliveries.readRecordsToList();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).key()).isEqualTo("gw-1");
        assertThat(out.get(0).value()).isEqualTo(new RoutedRecord("general", new RouteStarted("gw-1", 100L, 2L)));
        // A channel with no event read yet: head 0.
        route("random", "gw-1", 100);
        assertThat(deliveries.readValuesToList()).containsExactly(new RoutedRecord("random", new RouteStarted("gw-1", 100L, 0L)));
        assertThat(meters.get(RouterMetrics.HELD).gauge().value()).isEqualTo(2.0);
    }

    @Test
    void aPlainEventIsCopiedToExactlyTheGatewaysThatFollowItsChannelByteForByte() {
        sequencer.pipe(Commands.create("general", "alice", false, at(0)));
        sequencer.pipe(Commands.create("random", "alice", false, at(0)));
        pipeNewLogRecords();
        route("general", "gw-1", 100);
        route("general", "gw-2", 100);
        route("random", "gw-3", 100);
        deliveries.readRecordsToList();

        sequencer.pipe(Commands.send("general", "alice", "k1", "hello", at(1)));
        List<byte[]> sent = pipeNewLogRecords();
        assertThat(sent).hasSize(1);

        List<TestRecord<String, RoutedRecord>> out = deliveries.readRecordsToList();
        assertThat(out).extracting(TestRecord::key).containsExactly("gw-1", "gw-2");
        for (TestRecord<String, RoutedRecord> r : out) {
            assertThat(r.value().getChannel()).isEqualTo("general");
            RoutedEvent event = (RoutedEvent) r.value().getBody();
            assertThat(event.getSeq()).isEqualTo(2L);
            assertThat(bytes(event.getEvent())).isEqualTo(sent.get(0));
        }
        assertThat(meters.get(RouterMetrics.COPIES).counter().count()).isEqualTo(2.0);
    }

    @Test
    void aMembershipChangeGoesOnceToEveryGatewayAndNotPerGateway() {
        sequencer.pipe(Commands.create("general", "alice", false, at(0)));
        List<byte[]> created = pipeNewLogRecords();
        List<TestRecord<String, RoutedRecord>> first = deliveries.readRecordsToList();
        assertThat(first).extracting(TestRecord::key).containsExactly(RoutingKeys.EVERY_GATEWAY);
        assertThat(bytes(((RoutedEvent) first.get(0).value().getBody()).getEvent())).isEqualTo(created.get(0));

        route("general", "gw-1", 100);
        route("general", "gw-2", 100);
        deliveries.readRecordsToList();
        sequencer.pipe(Commands.join("general", "bob", at(1)));
        List<byte[]> joined = pipeNewLogRecords();
        List<TestRecord<String, RoutedRecord>> out = deliveries.readRecordsToList();
        assertThat(out).extracting(TestRecord::key).containsExactly(RoutingKeys.EVERY_GATEWAY);
        RoutedEvent event = (RoutedEvent) out.get(0).value().getBody();
        assertThat(event.getSeq()).isEqualTo(2L);
        assertThat(bytes(event.getEvent())).isEqualTo(joined.get(0));
        assertThat(meters.get(RouterMetrics.BROADCASTS).counter().count()).isEqualTo(2.0);
        assertThat(meters.get(RouterMetrics.COPIES).counter().count()).isEqualTo(0.0);
    }

    @Test
    void aTombstoneStopsTheCopies() {
        sequencer.pipe(Commands.create("general", "alice", false, at(0)));
        pipeNewLogRecords();
        route("general", "gw-1", 100);
        route("general", "gw-2", 100);
        routes.pipeInput(RoutingKeys.route("general", "gw-1"), null, START);
        deliveries.readRecordsToList();

        sequencer.pipe(Commands.send("general", "alice", "k1", "hello", at(1)));
        pipeNewLogRecords();
        assertThat(deliveries.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("gw-2");
        assertThat(meters.get(RouterMetrics.HELD).gauge().value()).isEqualTo(1.0);
    }

    @Test
    void aRouteNotRefreshedWithinItsLeaseExpiresOnTheRoutersClock() {
        sequencer.pipe(Commands.create("general", "alice", false, at(0)));
        pipeNewLogRecords();
        route("general", "gw-1", 100);
        route("general", "gw-2", 100);
        deliveries.readRecordsToList();

        advance(Duration.ofMillis(LEASE_MS / 2));
        route("general", "gw-2", 100); // refreshed: no new marker
        assertThat(deliveries.readRecordsToList()).isEmpty();
        advance(Duration.ofMillis(LEASE_MS / 2).plus(EXPIRY_CHECK));

        sequencer.pipe(Commands.send("general", "alice", "k1", "hello", at(1)));
        pipeNewLogRecords();
        assertThat(deliveries.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("gw-2");
        assertThat(meters.get(RouterMetrics.EXPIRED).counter().count()).isEqualTo(1.0);
        assertThat(meters.get(RouterMetrics.HELD).gauge().value()).isEqualTo(1.0);
    }

    @Test
    void aNewIncarnationGetsANewRouteStartedWithTheCurrentHead() {
        sequencer.pipe(Commands.create("general", "alice", false, at(0)));
        pipeNewLogRecords();
        route("general", "gw-1", 100);
        sequencer.pipe(Commands.send("general", "alice", "k1", "hello", at(1)));
        pipeNewLogRecords();
        deliveries.readRecordsToList();

        route("general", "gw-1", 100); // a refresh, or a duplicate of the route: nothing
        assertThat(deliveries.readRecordsToList()).isEmpty();
        route("general", "gw-1", 200); // the gateway restarted
        assertThat(deliveries.readKeyValuesToList()).containsExactly(
                org.apache.kafka.streams.KeyValue.pair("gw-1", new RoutedRecord("general", new RouteStarted("gw-1", 200L, 2L))));
        route("general", "gw-1", 100); // the old process, late: ignored
        assertThat(deliveries.readRecordsToList()).isEmpty();
        assertThat(meters.get(RouterMetrics.STARTED).counter().count()).isEqualTo(2.0);
    }

    @Test
    void aDuplicateEventIsCopiedAgainAndAnUnreadableOneIsSkipped() {
        sequencer.pipe(Commands.create("general", "alice", false, at(0)));
        pipeNewLogRecords();
        route("general", "gw-1", 100);
        sequencer.pipe(Commands.send("general", "alice", "k1", "hello", at(1)));
        byte[] hello = pipeNewLogRecords().get(0);
        assertThat(deliveries.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly(RoutingKeys.EVERY_GATEWAY, "gw-1", "gw-1");
        log.pipeInput("general", new byte[] {0, 0, 0, 0, 9, 1, 2}, START); // not a ChannelEvent
        log.pipeInput("general", hello, START); // the same event again (a replay)
        List<TestRecord<String, RoutedRecord>> out = deliveries.readRecordsToList();
        assertThat(out).extracting(TestRecord::key).containsExactly("gw-1");
        assertThat(out).extracting(r -> ((RoutedEvent) r.value().getBody()).getSeq()).containsExactly(2L);
        // The head did not go back: a new route starts at 2.
        route("general", "gw-2", 100);
        assertThat(deliveries.readValuesToList()).containsExactly(new RoutedRecord("general", new RouteStarted("gw-2", 100L, 2L)));
    }

    /** Writes a route as a gateway does, stamped with the router driver's wall-clock time. */
    private void route(String channel, String gateway, long incarnation) {
        routes.pipeInput(RoutingKeys.route(channel, gateway), new RouteRecord(channel, gateway, incarnation, clock, LEASE_MS), clock);
    }

    /** Moves the router's wall clock (its punctuators run). */
    private void advance(Duration d) {
        clock = clock.plus(d);
        router.advanceWallClockTime(d);
    }

    /** Pipes the sequencer's log records written since the last call into the router; returns their bytes. */
    private List<byte[]> pipeNewLogRecords() {
        List<byte[]> all = sequencer.rawLogRecords();
        List<byte[]> fresh = all.subList(logRead, all.size());
        logRead = all.size();
        ParleyAvroSerde<ChannelEvent> events = ParleyAvroSerde.forValue(ChannelEvent.class, sequencer.serdeConfig);
        for (byte[] value : fresh) {
            log.pipeInput(events.deserializer().deserialize(sequencer.names.log(), value).getChannel(), value, START);
        }
        return List.copyOf(fresh);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
