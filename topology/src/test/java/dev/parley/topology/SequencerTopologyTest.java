package dev.parley.topology;

import static dev.parley.topology.support.DriverFixture.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.avro.command.CommandEnvelope;
import dev.parley.avro.dlq.DeadLetter;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.event.EventKind;
import dev.parley.avro.event.MessagePosted;
import dev.parley.avro.result.Accepted;
import dev.parley.avro.result.CommandResult;
import dev.parley.avro.result.Duplicate;
import dev.parley.avro.result.Rejected;
import dev.parley.avro.result.Unchanged;
import dev.parley.topology.state.StateSerde;
import dev.parley.topology.state.StoreKeys;
import dev.parley.topology.state.StoreNames;
import dev.parley.topology.support.Commands;
import dev.parley.topology.support.DriverFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every sequencer rule through the real topology, on TopologyTestDriver with persistent (RocksDB) stores. */
class SequencerTopologyTest {

    @TempDir
    Path stateDir;
    private DriverFixture f;

    private DriverFixture start() {
        f = new DriverFixture(stateDir, Duration.ofHours(24));
        return f;
    }

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
            f.dropRegistry();
        }
    }

    @Test
    void eachChannelGetsItsOwnGapFreeSequenceInCommandOrder() {
        start();
        int channels = 25;
        int perChannel = 40;
        for (int c = 0; c < channels; c++) {
            f.pipe(Commands.create("ch" + c, "alice", false, at(0)));
        }
        // Interleave sends of all channels in a random but fixed order.
        List<CommandEnvelope> sends = new ArrayList<>();
        for (int i = 0; i < perChannel; i++) {
            for (int c = 0; c < channels; c++) {
                sends.add(Commands.send("ch" + c, "alice", "k-" + c + "-" + i, "m" + i, at(1 + i)));
            }
        }
        java.util.Collections.shuffle(sends.subList(0, sends.size()), new Random(7));
        // A shuffle across channels keeps each channel's own order only if we re-sort per channel: do that.
        Map<String, Integer> nextIndex = new HashMap<>();
        List<CommandEnvelope> ordered = new ArrayList<>();
        for (CommandEnvelope s : sends) {
            int i = nextIndex.merge(s.getChannel(), 1, Integer::sum) - 1;
            ordered.add(Commands.send(s.getChannel(), "alice", "k-" + s.getChannel() + "-" + i, "m" + i, at(1 + i)));
        }
        f.pipeAll(ordered);

        List<ChannelEvent> events = f.log.readValuesToList();
        assertThat(events).hasSize(channels * (perChannel + 1));
        Map<String, List<ChannelEvent>> byChannel = new HashMap<>();
        events.forEach(e -> byChannel.computeIfAbsent(e.getChannel(), k -> new ArrayList<>()).add(e));
        for (var entry : byChannel.entrySet()) {
            List<ChannelEvent> es = entry.getValue();
            for (int i = 0; i < es.size(); i++) {
                assertThat(es.get(i).getSeq()).as("seq %d of %s", i, entry.getKey()).isEqualTo(i + 1);
            }
            assertThat(es.get(0).getKind()).isEqualTo(EventKind.CHANNEL_CREATED);
            for (int i = 1; i < es.size(); i++) {
                assertThat(((MessagePosted) es.get(i).getPayload()).getText()).isEqualTo("m" + (i - 1));
            }
        }
        assertThat(events.stream().map(ChannelEvent::getMessageId).filter(m -> m != null).distinct()).hasSize(channels * perChannel);
    }

    @Test
    void eventsAndResultsCarryTheCommandsRouting() {
        start();
        CommandEnvelope create = Commands.create("general", "alice", false, at(0));
        CommandEnvelope send = Commands.send("general", "alice", "k1", "hello", at(1));
        f.pipe(create);
        f.pipe(send);

        var results = f.results.readKeyValuesToList();
        assertThat(results).hasSize(2);
        assertThat(results.get(1).key).isEqualTo("gw-test");
        CommandResult r = results.get(1).value;
        assertThat(r.getRequestId()).isEqualTo(send.getRequestId());
        assertThat(r.getCommandId()).isEqualTo(send.getCommandId());
        Accepted accepted = (Accepted) r.getOutcome();
        assertThat(accepted.getSeq()).isEqualTo(2);

        var logged = f.log.readRecordsToList();
        assertThat(logged).hasSize(2);
        assertThat(logged.get(1).key()).isEqualTo("general");
        assertThat(logged.get(1).timestamp()).isEqualTo(at(1).toEpochMilli());
        ChannelEvent e = logged.get(1).value();
        assertThat(e.getMessageId()).isEqualTo(accepted.getMessageId());
        assertThat(e.getEventId()).isEqualTo(accepted.getEventId());
        assertThat(e.getIdempotencyKey()).isEqualTo("k1");
        assertThat(e.getCommandId()).isEqualTo(send.getCommandId());
    }

    @Test
    void everyRejectionCodeComesBackAsAResultWithNoEvent() {
        start();
        f.pipe(Commands.create("general", "alice", false, at(0)));
        f.pipe(Commands.create("secret", "alice", true, at(0)));
        f.log.readValuesToList();
        f.results.readValuesToList();

        f.pipe(Commands.create("general", "bob", false, at(1)));                   // channel_exists
        f.pipe(Commands.send("nowhere", "alice", "k", "hi", at(1)));                // unknown_channel
        f.pipe(Commands.send("general", "bob", "k", "hi", at(1)));                  // not_a_member
        f.pipe(Commands.send("general", "alice", null, "hi", at(1)));               // invalid: no key
        f.pipe(Commands.send("general", "alice", "k2", "", at(1)));                 // invalid: empty
        f.pipe(Commands.send("general", "alice", "k3", "x".repeat(40_001), at(1))); // invalid: too long
        f.pipe(Commands.reply("general", "alice", "k4", "re", 99, at(1)));          // invalid: no such root
        f.pipe(Commands.join("secret", "bob", at(1)));                              // not_allowed
        f.pipe(Commands.add("secret", "bob", "carol", at(1)));                      // not_allowed
        f.pipe(Commands.leave("general", "bob", at(1)));                            // not_a_member
        f.pipe(Commands.join("general", "alice", at(1)));                           // unchanged: already_member

        List<Object> outcomes = f.results.readValuesToList().stream().map(CommandResult::getOutcome).toList();
        assertThat(outcomes).extracting(o -> o instanceof Rejected r ? r.getCode() : ((Unchanged) o).getCode())
                .containsExactly("channel_exists", "unknown_channel", "not_a_member", "invalid", "invalid", "invalid",
                        "invalid", "not_allowed", "not_allowed", "not_a_member", "already_member");
        assertThat(((Rejected) outcomes.get(6)).getMessage()).contains("thread root 99");
        assertThat(f.log.isEmpty()).as("no rejected command wrote an event").isTrue();
        assertThat(f.deadLetters.isEmpty()).as("rejections are results, not dead letters").isTrue();
    }

    @Test
    void aRepeatedKeyWritesNoEventAndReturnsTheOriginalSeqAndIds() {
        start();
        f.pipe(Commands.create("general", "alice", false, at(0)));
        f.pipe(Commands.send("general", "alice", "k1", "first", at(1)));
        f.pipe(Commands.send("general", "alice", "k2", "second", at(2)));
        f.pipe(Commands.send("general", "alice", "k1", "first (retry)", at(3)));
        f.pipe(Commands.send("general", "alice", "k1", "first (retry)", at(4)));

        List<ChannelEvent> events = f.log.readValuesToList();
        assertThat(events).extracting(ChannelEvent::getSeq).containsExactly(1L, 2L, 3L);
        List<Object> outcomes = f.results.readValuesToList().stream().map(CommandResult::getOutcome).toList();
        Accepted original = (Accepted) outcomes.get(1);
        assertThat(outcomes.get(3)).isEqualTo(new Duplicate(original.getSeq(), original.getEventId(), original.getMessageId()));
        assertThat(outcomes.get(4)).isEqualTo(outcomes.get(3));
    }

    @Test
    void idempotencyKeysExpireAfterTheWindowAndTheStoreDropsThem() {
        f = new DriverFixture(stateDir, Duration.ofHours(1));
        f.pipe(Commands.create("general", "alice", false, at(0)));
        f.pipe(Commands.send("general", "alice", "k1", "hi", at(1)));
        f.pipe(Commands.send("general", "alice", "k1", "hi", at(3000)));          // 50 min later: still a duplicate
        f.pipe(Commands.send("general", "alice", "k9", "moves time on", at(3 * 3600)));
        f.pipe(Commands.send("general", "alice", "k1", "hi", at(3 * 3600 + 1)));  // 3 h later: a new message

        List<Object> outcomes = f.results.readValuesToList().stream().map(CommandResult::getOutcome).toList();
        assertThat(outcomes.get(2)).isInstanceOf(Duplicate.class);
        assertThat(((Accepted) outcomes.get(4)).getSeq()).isEqualTo(4);

        // The window store keeps at most about two windows of keys: the first k1 entry is gone.
        var dedupe = f.driver.getWindowStore(StoreNames.DEDUPE);
        try (var all = dedupe.all()) {
            List<Long> kept = new ArrayList<>();
            all.forEachRemaining(kv -> kept.add(((org.apache.kafka.streams.kstream.Windowed<?>) kv.key).window().start()));
            assertThat(kept).doesNotContain(at(1).toEpochMilli());
        }
    }

    @Test
    void membershipIsCheckedAtEachCommandsPlaceInTheOrder() {
        start();
        f.pipe(Commands.create("general", "alice", false, at(0)));
        f.pipe(Commands.send("general", "bob", "b1", "too early", at(1)));
        f.pipe(Commands.join("general", "bob", at(2)));
        f.pipe(Commands.send("general", "bob", "b2", "now I am in", at(3)));
        f.pipe(Commands.leave("general", "bob", at(4)));
        f.pipe(Commands.send("general", "bob", "b3", "after leaving", at(5)));

        List<Object> outcomes = f.results.readValuesToList().stream().map(CommandResult::getOutcome).toList();
        assertThat(outcomes.get(1)).isInstanceOf(Rejected.class);
        assertThat(((Rejected) outcomes.get(1)).getCode()).isEqualTo("not_a_member");
        assertThat(((Accepted) outcomes.get(3)).getSeq()).isEqualTo(3);
        assertThat(((Rejected) outcomes.get(5)).getCode()).isEqualTo("not_a_member");
        assertThat(f.log.readValuesToList()).extracting(ChannelEvent::getKind)
                .containsExactly(EventKind.CHANNEL_CREATED, EventKind.MEMBER_JOINED, EventKind.MESSAGE, EventKind.MEMBER_LEFT);
    }

    @Test
    void privateChannelsAreEnteredOnlyThroughAddMember() {
        start();
        f.pipe(Commands.create("secret", "alice", true, at(0)));
        f.pipe(Commands.join("secret", "bob", at(1)));
        f.pipe(Commands.add("secret", "alice", "bob", at(2)));
        f.pipe(Commands.send("secret", "bob", "k", "thanks", at(3)));
        f.pipe(Commands.add("secret", "bob", "carol", at(4)));

        List<Object> outcomes = f.results.readValuesToList().stream().map(CommandResult::getOutcome).toList();
        assertThat(((Rejected) outcomes.get(1)).getCode()).isEqualTo("not_allowed");
        assertThat(outcomes.subList(2, 5)).allMatch(o -> o instanceof Accepted);
        assertThat(f.log.readValuesToList()).extracting(ChannelEvent::getSeq).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void threadRepliesNameAnExistingRoot() {
        start();
        f.pipe(Commands.create("general", "alice", false, at(0)));
        f.pipe(Commands.send("general", "alice", "root", "a question", at(1)));                  // seq 2
        f.pipe(Commands.reply("general", "alice", "r1", "an answer", 2, at(2)));                  // seq 3
        f.pipe(Commands.reply("general", "alice", "r2", "reply to a reply", 3, at(3)));           // invalid
        f.pipe(Commands.reply("general", "alice", "r3", "reply to the channel event", 1, at(4))); // invalid

        List<Object> outcomes = f.results.readValuesToList().stream().map(CommandResult::getOutcome).toList();
        assertThat(((Accepted) outcomes.get(2)).getSeq()).isEqualTo(3);
        assertThat(((Rejected) outcomes.get(3)).getMessage()).contains("itself a reply");
        assertThat(((Rejected) outcomes.get(4)).getMessage()).contains("thread root 1 is not a message");
        ChannelEvent reply = f.log.readValuesToList().get(2);
        assertThat(((MessagePosted) reply.getPayload()).getThreadRoot()).isEqualTo(2L);
    }

    @Test
    void garbageBytesGoToTheDeadLetterTopicAndProcessingContinues() {
        start();
        byte[] garbage = "this is not avro".getBytes(StandardCharsets.UTF_8);
        byte[] unknownId = {0, 0, 0, 0x7F, 0x7F, 1, 2, 3};
        f.pipe(Commands.create("general", "alice", false, at(0)));
        f.rawCommands.pipeInput("general", garbage, at(1));
        f.rawCommands.pipeInput("general", unknownId, at(2));
        f.pipe(Commands.send("general", "alice", "k1", "still working", at(3)));

        List<DeadLetter> letters = f.deadLetters.readValuesToList();
        assertThat(letters).hasSize(2);
        assertThat(letters.get(0).getValue().array()).isEqualTo(garbage);
        assertThat(letters.get(0).getKey().array()).isEqualTo("general".getBytes(StandardCharsets.UTF_8));
        assertThat(letters.get(0).getTopic()).isEqualTo(f.names.commands());
        assertThat(letters.get(0).getStage()).isEqualTo("deserialization");
        assertThat(letters.get(0).getReason()).contains("not the Schema Registry magic byte");
        assertThat(letters.get(1).getReason()).contains("schema id " + 0x7F7F);
        assertThat(letters.get(0).getOffset()).isEqualTo(1);
        assertThat(f.log.readValuesToList()).extracting(ChannelEvent::getSeq).containsExactly(1L, 2L);
    }

    @Test
    void aCommandKeyedByAnotherChannelIsRejectedNotMisrouted() {
        start();
        f.pipe(Commands.create("general", "alice", false, at(0)));
        CommandEnvelope send = Commands.send("general", "alice", "k", "hi", at(1));
        f.commands.pipeInput("random", send, at(1));

        CommandResult r = f.results.readValuesToList().get(1);
        assertThat(((Rejected) r.getOutcome()).getCode()).isEqualTo("invalid");
        assertThat(((Rejected) r.getOutcome()).getMessage()).contains("keyed by channel");
    }

    @Test
    void channelStateHoldsTheEventsAsLoggedTheMetaAndTheMembersAndUserStateTheMemberships() {
        start();
        f.pipe(Commands.create("general", "alice", false, at(0)));
        f.pipe(Commands.join("general", "bob", at(1)));
        f.pipe(Commands.send("general", "bob", "k1", "hi", at(2)));
        f.pipe(Commands.leave("general", "alice", at(3)));

        List<byte[]> logged = f.rawLogRecords();
        KeyValueStore<Bytes, byte[]> state = f.driver.getKeyValueStore(StoreNames.CHANNEL_STATE);
        List<Long> seqs = new ArrayList<>();
        List<byte[]> stored = new ArrayList<>();
        try (var it = state.range(StoreKeys.event("general", 1), StoreKeys.event("general", Long.MAX_VALUE))) {
            it.forEachRemaining(kv -> {
                seqs.add(StoreKeys.seqOf(kv.key));
                stored.add(kv.value);
            });
        }
        assertThat(seqs).containsExactly(1L, 2L, 3L, 4L);
        assertThat(stored).as("the store keeps the log's bytes, encoded once").containsExactlyElementsOf(logged);

        var meta = StateSerde.CHANNEL_META.fromBytes(state.get(StoreKeys.meta("general")));
        assertThat(meta.getHead()).isEqualTo(4);
        assertThat(meta.getMemberCount()).isEqualTo(1);
        assertThat(meta.getLastEventAt()).isEqualTo(at(3).toEpochMilli());
        List<KeyValue<Bytes, byte[]>> members = new ArrayList<>();
        try (var it = state.range(StoreKeys.membersFrom("general"), StoreKeys.membersEnd("general"))) {
            it.forEachRemaining(members::add);
        }
        assertThat(members).extracting(kv -> StoreKeys.userOf(kv.key)).containsExactly("bob");

        KeyValueStore<Bytes, byte[]> users = f.driver.getKeyValueStore(StoreNames.USER_STATE);
        var bob = StateSerde.USER_CHANNEL.fromBytes(users.get(StoreKeys.userChannel("bob", "general")));
        assertThat(bob.getRole()).isEqualTo("MEMBER");
        assertThat(bob.getJoinedSeq()).isEqualTo(2);
        assertThat(StateSerde.USER_CHANNEL.fromBytes(users.get(StoreKeys.userChannel("alice", "general"))).getRole())
                .as("alice left (her read cursor stays for a return)").isNull();
    }

    @Test
    void aCommandProcessedAgainFromTheSameStateYieldsTheIdenticalEventBytes(@TempDir Path otherDir) {
        // After an aborted transaction a command is processed again from the last committed state: its event
        // (seq, ids, timestamps, bytes) must come out the same, or a client could see two versions of it.
        start();
        List<CommandEnvelope> history = List.of(Commands.create("general", "alice", false, at(0)),
                Commands.join("general", "bob", at(1)), Commands.send("general", "bob", "k1", "hi @alice", at(2)),
                Commands.react("general", "alice", "r1", 3, ":wave:", at(3)), Commands.reply("general", "alice", "k2", "hello", 3, at(4)));
        f.pipeAll(history);
        List<byte[]> first = f.rawLogRecords();
        try (DriverFixture again = new DriverFixture(otherDir, Duration.ofHours(24), f.scope)) {
            again.pipeAll(history); // the same commands (same ids and timestamps) on the same state
            assertThat(again.rawLogRecords()).hasSize(first.size());
            for (int i = 0; i < first.size(); i++) {
                assertThat(again.rawLogRecords(i)).as("event %d", i + 1).isEqualTo(first.get(i));
            }
        }
    }
}
