package dev.parley.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.api.query.ChannelQueries;
import dev.parley.api.query.EventPage;
import dev.parley.api.query.MessagePage;
import dev.parley.api.query.UserChannel;
import dev.parley.avro.Actor;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.event.EventKind;
import dev.parley.avro.event.ReadCursorMoved;
import dev.parley.avro.result.Accepted;
import dev.parley.avro.result.CommandResult;
import dev.parley.avro.result.Duplicate;
import dev.parley.schemas.serde.ParleyAvroSerde;
import dev.parley.testkit.KafkaTestCluster;
import dev.parley.testkit.SharedKafka;
import dev.parley.topology.rebuild.StateGuard;
import dev.parley.topology.rebuild.StateRebuild;
import dev.parley.topology.sequencer.Ids;
import dev.parley.topology.state.StoreNames;
import dev.parley.topology.support.Commands;
import dev.parley.topology.support.TopologyEnv;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topology's state rebuilt from the log (the upgrade path from a version with other stores): state from a
 * real run, plus READ events as an older version wrote them into the log, is wiped; the topology refuses to
 * start on it; the rebuild replays the log through the same fold; then the state answers as before, sends go
 * on with the right seqs, old keys still dedupe, and read cursors are the highest of the kept user state and
 * the old READ events.
 */
@ExtendWith(SharedKafka.class)
class StateRebuildIT {

    private static final long ALL = ChannelQueries.COMMITTED;
    private static TopologyEnv env;

    @BeforeAll
    static void setUp(KafkaTestCluster kafka) {
        env = new TopologyEnv(kafka, StateRebuildIT.class, 2);
    }

    @AfterAll
    static void tearDown() {
        env.close();
    }

    @Test
    void aWipedStateIsRebuiltFromTheLogAndTheTopologyGoesOnFromIt(@TempDir Path dir) throws Exception {
        String app = "rebuild-" + System.nanoTime();
        TopologyConfig config = env.instanceConfig(app, dir, 0);
        List<CommandResult> results = new ArrayList<>();
        Snapshot before;
        Map<String, Long> k1;
        try (var producer = env.commandProducer(); var consumer = env.resultConsumer()) {
            try (TopologyService a = TopologyService.start(config)) {
                Instant t = Instant.now();
                env.send(producer, Commands.create("general", "alice", false, t));                  // general 1
                env.send(producer, Commands.join("general", "bob", t));                             // 2
                env.send(producer, Commands.join("general", "carol", t));                           // 3
                for (int i = 1; i <= 5; i++) {
                    env.send(producer, Commands.send("general", "bob", "k" + i, "bob says " + i, t)); // 4..8
                }
                env.send(producer, Commands.edit("general", "bob", "e", 5, "bob says 2, better", t)); // 9
                env.send(producer, Commands.delete("general", "alice", "d", 6, t));                 // 10
                env.send(producer, Commands.react("general", "carol", "x", 4, ":+1:", t));           // 11
                env.send(producer, Commands.reply("general", "alice", "r", "answer", 4, t));         // 12
                env.send(producer, Commands.leave("general", "carol", t));                          // 13
                env.send(producer, Commands.markRead("general", "bob", "mr", 9, t));                 // bob's cursor: 9
                env.send(producer, Commands.create("secret", "alice", true, t));                    // secret 1
                env.send(producer, Commands.add("secret", "alice", "dave", t));                     // 2
                env.send(producer, Commands.send("secret", "alice", "s1", "for dave", t));           // 3
                producer.flush();
                await().atMost(Duration.ofSeconds(90)).until(() -> drain(consumer, results) >= 17);
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                        a.queries().channelsOf("bob").channels().get(0).lastRead() == 9);
                before = Snapshot.of(a.queries());
            }
            k1 = seqOf(results, "general", 4);

            // What an older version wrote into the log: read cursors as channel events, with their own seqs.
            appendOldReadEvent("general", 14, "bob", 7);    // below bob's cursor of 9: it stays at 9
            appendOldReadEvent("secret", 4, "dave", 3);     // dave's only cursor

            // The old version's stores are not these: the topology finds no channel-state and refuses to start.
            deleteChannelState(app);
            assertThatThrownBy(() -> TopologyService.start(config)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("rebuild-state");

            StateRebuild.Report report = StateRebuild.run(config);
            assertThat(report.logRecords()).isGreaterThanOrEqualTo(18);

            try (TopologyService c = TopologyService.start(config)) {
                await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() ->
                        c.queries().channel("general", ALL).orElseThrow().head() == 14);
                Snapshot after = Snapshot.of(c.queries());
                assertThat(after.general.events().subList(0, 13)).as("every event as it was").isEqualTo(before.general.events());
                assertThat(after.general.events().get(13).path("kind").asText()).isEqualTo("read");
                assertThat(after.secret.events().subList(0, 3)).isEqualTo(before.secret.events());
                assertThat(after.history.messages()).as("messages in their current state").isEqualTo(before.history.messages());
                assertThat(after.thread).isEqualTo(before.thread);
                assertThat(after.members).isEqualTo(before.members);

                UserChannel bob = c.queries().channelsOf("bob").channels().get(0);
                assertThat(bob.lastRead()).as("the kept cursor, not the old READ event below it").isEqualTo(9);
                assertThat(bob.head()).isEqualTo(14);
                assertThat(c.queries().channelsOf("dave").channels()).singleElement()
                        .satisfies(d -> assertThat(d.lastRead()).as("migrated from the READ event").isEqualTo(3));
                assertThat(c.queries().channelsOf("carol").channels()).as("carol left").isEmpty();
                assertThat(c.queries().channelsOf("alice").channels()).extracting(UserChannel::channel).containsExactly("general", "secret");

                results.clear();
                env.send(producer, Commands.send("general", "bob", "k1", "bob says 1 (a retry)", Instant.now()));
                env.send(producer, Commands.send("general", "bob", "k6", "bob goes on", Instant.now()));
                env.send(producer, Commands.send("secret", "dave", "s2", "thanks", Instant.now()));
                producer.flush();
                await().atMost(Duration.ofSeconds(60)).until(() -> drain(consumer, results) >= 3);
                assertThat(results.get(0).getOutcome()).as("an old key still dedupes")
                        .isInstanceOfSatisfying(Duplicate.class, d -> assertThat(d.getSeq()).isEqualTo(k1.get("k1")));
                assertThat(((Accepted) results.get(1).getOutcome()).getSeq()).isEqualTo(15);
                assertThat(((Accepted) results.get(2).getOutcome()).getSeq()).isEqualTo(5);
            }
        }
    }

    /** What the queries answer, to compare before and after the rebuild. */
    record Snapshot(EventPage general, EventPage secret, MessagePage history, List<Object> thread, Object members) {
        static Snapshot of(ChannelQueries q) {
            var thread = q.thread("general", 4, 0, 100, ALL).orElseThrow();
            return new Snapshot(q.eventsAfter("general", 0, 100, ALL), q.eventsAfter("secret", 0, 100, ALL),
                    q.messagesBefore("general", Long.MAX_VALUE, 100, ALL), List.of(thread.root(), thread.replies()),
                    q.members("general", null, 100).members());
        }
    }

    private static void appendOldReadEvent(String channel, long seq, String user, long upTo) {
        Instant t = Instant.now();
        ChannelEvent read = ChannelEvent.newBuilder().setChannel(channel).setSeq(seq).setEventId(Ids.eventId(channel, seq, t.toEpochMilli()))
                .setMessageId(null).setKind(EventKind.READ).setActor(new Actor(user, "old-phone")).setTimestamp(t)
                .setIdempotencyKey("old-read-" + seq).setCommandId("old").setPayload(new ReadCursorMoved(upTo)).build();
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env.kafka.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, ChannelEvent> p = new KafkaProducer<>(props, Serdes.String().serializer(),
                ParleyAvroSerde.forValue(ChannelEvent.class, env.serdeConfig).serializer())) {
            p.send(new ProducerRecord<>(env.names.log(), null, t.toEpochMilli(), channel, read));
        }
    }

    private static void deleteChannelState(String app) throws Exception {
        try (var admin = env.kafka.admin()) {
            admin.deleteTopics(List.of(StateGuard.changelog(app, StoreNames.CHANNEL_STATE), StateGuard.changelog(app, StoreNames.DEDUPE)))
                    .all().get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> !admin.listTopics().names().get().contains(
                    StateGuard.changelog(app, StoreNames.CHANNEL_STATE)));
        }
    }

    /** Idempotency key -> accepted seq of the channel's messages. */
    private static Map<String, Long> seqOf(List<CommandResult> results, String channel, long firstMessageSeq) {
        Map<String, Long> out = new HashMap<>();
        for (long i = 1; i <= 5; i++) {
            out.put("k" + i, firstMessageSeq + i - 1);
        }
        assertThat(results.stream().filter(r -> r.getChannel().equals(channel) && r.getOutcome() instanceof Accepted)
                .map(r -> ((Accepted) r.getOutcome()).getSeq())).contains(firstMessageSeq, firstMessageSeq + 4);
        return out;
    }

    private static int drain(org.apache.kafka.clients.consumer.KafkaConsumer<String, CommandResult> consumer, List<CommandResult> into) {
        TopologyEnv.drain(consumer, into);
        return into.size();
    }
}
