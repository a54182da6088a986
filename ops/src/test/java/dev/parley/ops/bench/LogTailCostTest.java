package dev.parley.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.avro.event.ChannelEvent;
import dev.parley.gateway.hub.Hub;
import dev.parley.ops.broker.BrokerSettings;
import dev.parley.ops.broker.EmbeddedKafkaBroker;
import dev.parley.schemas.serde.ParleyAvroSerde;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log-tail cost harness counts what it measures: every event decoded, read back from a real broker, handed over. */
class LogTailCostTest {

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor();

    @TempDir
    static Path data;
    private static EmbeddedKafkaBroker kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafkaBroker.start(BrokerSettings.ephemeral(data));
    }

    @AfterAll
    static void stop() {
        kafka.close();
        TIMER.shutdownNow();
    }

    @Test
    void theSampleLogIsGapFreePerChannelAndRoundRobin() {
        List<ChannelEvent> events = SampleLog.messages(7, 3, "hi");
        assertThat(events).extracting(e -> e.getChannel() + "#" + e.getSeq())
                .containsExactly("room-0#1", "room-1#1", "room-2#1", "room-0#2", "room-1#2", "room-2#2", "room-0#3");
        assertThat(events).extracting(ChannelEvent::getEventId).doesNotHaveDuplicates();
    }

    @Test
    void decodeHandsOverEveryEventAsEncoded() {
        List<ChannelEvent> sample = SampleLog.messages(500, 10, BenchContext.TEXT);
        ParleyAvroSerde<ChannelEvent> serde = SampleLog.serde();
        List<ChannelEvent> seen = new ArrayList<>();

        LogTailCost.Stage stage = LogTailCost.decode("decode", serde.deserializer(), SampleLog.encode(serde, sample), seen::add);

        assertThat(seen).isEqualTo(sample);
        assertThat(stage.events()).isEqualTo(500);
        assertThat(stage.cpuNanos()).isPositive();
    }

    @Test
    void theTailReadsEveryCommittedEventInChannelOrderIntoAnIdleHub() throws Exception {
        List<ChannelEvent> sample = SampleLog.messages(600, 20, BenchContext.TEXT);
        ParleyAvroSerde<ChannelEvent> serde = SampleLog.serde();
        LogTailCost.createLog(kafka.bootstrapServers(), 4);
        List<byte[]> encoded = SampleLog.encode(serde, sample);
        LogTailCost.Stage written = LogTailCost.produce(kafka.bootstrapServers(), sample, encoded, 45);
        assertThat(written.events()).isEqualTo(600);
        assertThat(written.bytes()).isEqualTo(encoded.stream().mapToLong(v -> v.length).sum());
        Hub hub = LogTailCost.idleHub(TIMER);
        Map<String, List<Long>> seqs = new HashMap<>();

        LogTailCost.Stage stage = LogTailCost.tail("tail", kafka.bootstrapServers(), serde.deserializer(), 600, e -> {
            seqs.computeIfAbsent(e.getChannel(), c -> new ArrayList<>()).add(e.getSeq());
            hub.publish(e);
        }, hub::endOfRead);

        assertThat(stage.events()).isEqualTo(600);
        assertThat(stage.bytes()).isPositive();
        assertThat(seqs).hasSize(20);
        List<Long> expected = new ArrayList<>();
        for (long s = 1; s <= 30; s++) {
            expected.add(s);
        }
        seqs.values().forEach(list -> assertThat(list).isEqualTo(expected));
        assertThat(hub.publishedHead("room-7", -1)).isEqualTo(30);
    }
}
