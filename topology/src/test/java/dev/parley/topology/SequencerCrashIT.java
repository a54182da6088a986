package dev.parley.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.avro.command.CommandEnvelope;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.event.EventKind;
import dev.parley.avro.result.Accepted;
import dev.parley.avro.result.CommandResult;
import dev.parley.avro.result.Duplicate;
import dev.parley.testkit.KafkaTestCluster;
import dev.parley.testkit.SharedKafka;
import dev.parley.testkit.ChildJvm;
import dev.parley.topology.support.Commands;
import dev.parley.topology.support.TopologyEnv;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exactly-once claim under a real crash: 20 channels x 500 sends from 4 concurrent producers, 10% of
 * them re-sent with the same key, while the topology instance doing the work is SIGKILLed halfway and a
 * second instance carries on.
 */
@ExtendWith(SharedKafka.class)
class SequencerCrashIT {

    private static final int CHANNELS = 20;
    private static final int SENDS_PER_CHANNEL = 500;
    private static final int PRODUCERS = 4;

    private static TopologyEnv env;

    @BeforeAll
    static void setUp(KafkaTestCluster kafka) {
        env = new TopologyEnv(kafka, SequencerCrashIT.class, 6);
    }

    @AfterAll
    static void tearDown() {
        env.close();
    }

    /** One command as sent: who sent it, in which order, and whether it is a retry. */
    record Sent(int producer, String channel, String key, int order, boolean retry) {
    }

    @Test
    void everyKeyBecomesExactlyOneEventWithGapFreeSeqsAcrossAKill(@TempDir Path dirA, @TempDir Path dirB) throws Exception {
        String app = "crash-" + System.nanoTime();
        Map<String, String> envA = env.instanceEnv(app, dirA, 0);
        try (ChildJvm a = ChildJvm.start(TopologyMain.class, envA, "PARLEY_TOPOLOGY_READY")) {
            a.awaitReady(90, TimeUnit.SECONDS);

            // Channels, with every producer's user as a member.
            Instant t0 = Instant.now();
            Map<String, CommandEnvelope> setup = new HashMap<>();
            try (var producer = env.commandProducer()) {
                for (int c = 0; c < CHANNELS; c++) {
                    String ch = "ch" + c;
                    env.send(producer, Commands.create(ch, "owner", false, t0));
                    for (int p = 0; p < PRODUCERS; p++) {
                        env.send(producer, Commands.join(ch, "user" + p, t0));
                    }
                }
                producer.flush();
            }

            // Results, collected continuously.
            Map<String, List<CommandResult>> resultsByCommand = new ConcurrentHashMap<>();
            CountDownLatch stopReading = new CountDownLatch(1);
            Thread reader = new Thread(() -> {
                try (var consumer = env.resultConsumer()) {
                    while (stopReading.getCount() > 0) {
                        consumer.poll(Duration.ofMillis(200)).forEach(r ->
                                resultsByCommand.computeIfAbsent(r.value().getCommandId(), k -> new ArrayList<>()).add(r.value()));
                    }
                }
            }, "results-reader");
            reader.start();

            // Four producers, each sending its share of every channel in its own order, 10% re-sent.
            Map<String, Sent> sentByCommand = new ConcurrentHashMap<>();
            int perProducer = SENDS_PER_CHANNEL / PRODUCERS;
            ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS);
            CountDownLatch halfway = new CountDownLatch(1);
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                int producerIndex = p;
                done.add(pool.submit(() -> {
                    Random random = new Random(producerIndex);
                    try (var producer = env.commandProducer()) {
                        List<CommandEnvelope> retries = new ArrayList<>();
                        for (int i = 0; i < perProducer; i++) {
                            for (int c = 0; c < CHANNELS; c++) {
                                String ch = "ch" + c;
                                String key = "p" + producerIndex + "-" + ch + "-" + i;
                                CommandEnvelope cmd = Commands.send(ch, "user" + producerIndex, key, "message " + i, Instant.now());
                                sentByCommand.put(cmd.getCommandId(), new Sent(producerIndex, ch, key, i, false));
                                env.send(producer, cmd);
                                if (random.nextInt(10) == 0) {
                                    retries.add(Commands.send(ch, "user" + producerIndex, key, "message " + i, Instant.now()));
                                }
                            }
                            if (i % 10 == 9) {
                                // Re-send a batch of earlier keys, as a client that timed out would.
                                for (CommandEnvelope r : retries) {
                                    CommandEnvelope again = Commands.envelope(r.getChannel(), r.getActor().getUser(),
                                            r.getIdempotencyKey(), r.getCommand(), Instant.now());
                                    Sent original = sentByCommand.values().stream()
                                            .filter(s -> s.key().equals(r.getIdempotencyKey())).findFirst().orElseThrow();
                                    sentByCommand.put(again.getCommandId(), new Sent(producerIndex, r.getChannel(),
                                            r.getIdempotencyKey(), original.order(), true));
                                    env.send(producer, again);
                                }
                                retries.clear();
                                producer.flush();
                            }
                            if (producerIndex == 0 && i == perProducer / 2) {
                                halfway.countDown();
                            }
                        }
                        producer.flush();
                    }
                    return null;
                }));
            }

            // Halfway: start the second instance, wait until the first has committed some work, then SIGKILL it.
            halfway.await(120, TimeUnit.SECONDS);
            try (TopologyService b = TopologyService.start(env.instanceConfig(app, dirB, 0))) {
                await().atMost(Duration.ofSeconds(120)).until(() -> resultsByCommand.size() > 2_000);
                a.kill();
                int atKill = resultsByCommand.size();
                for (var f : done) {
                    f.get(300, TimeUnit.SECONDS);
                }
                pool.shutdown();

                int expectedCommands = sentByCommand.size();
                await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> resultsByCommand.keySet().containsAll(sentByCommand.keySet()));
                stopReading.countDown();
                reader.join();
                assertThat(atKill).as("the kill happened mid-way").isLessThan(expectedCommands);
                org.slf4j.LoggerFactory.getLogger(SequencerCrashIT.class).info(
                        "crash test: {} commands ({} retries), instance A SIGKILLed after {} results", expectedCommands,
                        expectedCommands - CHANNELS * SENDS_PER_CHANNEL, atKill);

                // Every command got exactly one result, accepted or duplicate.
                for (String commandId : sentByCommand.keySet()) {
                    assertThat(resultsByCommand.get(commandId)).as("results of command %s", commandId).hasSize(1);
                }
                Map<String, Long> seqByKey = new HashMap<>();
                List<CommandResult> duplicates = new ArrayList<>();
                for (var e : sentByCommand.entrySet()) {
                    CommandResult r = resultsByCommand.get(e.getKey()).get(0);
                    if (r.getOutcome() instanceof Accepted acc) {
                        assertThat(seqByKey.put(e.getValue().key(), acc.getSeq())).as("accepted once: %s", e.getValue().key()).isNull();
                    } else {
                        assertThat(r.getOutcome()).isInstanceOf(Duplicate.class);
                        duplicates.add(r);
                    }
                }
                int uniqueKeys = CHANNELS * SENDS_PER_CHANNEL;
                assertThat(seqByKey).hasSize(uniqueKeys);
                for (CommandResult d : duplicates) {
                    Sent s = sentByCommand.get(d.getCommandId());
                    assertThat(((Duplicate) d.getOutcome()).getSeq()).as("duplicate of %s has the original seq", s.key())
                            .isEqualTo(seqByKey.get(s.key()));
                }

                // The log: per channel, seq 1..N with no gap, one event per key, each producer's sends in its order.
                List<ChannelEvent> events = new ArrayList<>();
                int expectedEvents = CHANNELS * (1 + PRODUCERS + SENDS_PER_CHANNEL);
                try (var consumer = env.logConsumer()) {
                    await().atMost(Duration.ofSeconds(60)).until(() -> {
                        TopologyEnv.drain(consumer, events);
                        return events.size() >= expectedEvents;
                    });
                    TopologyEnv.drain(consumer, events);
                }
                assertThat(events).hasSize(expectedEvents);
                Map<String, List<ChannelEvent>> byChannel = events.stream().collect(Collectors.groupingBy(ChannelEvent::getChannel));
                assertThat(byChannel).hasSize(CHANNELS);
                for (var e : byChannel.entrySet()) {
                    List<Long> seqs = e.getValue().stream().map(ChannelEvent::getSeq).toList();
                    assertThat(seqs).as("seqs of %s", e.getKey())
                            .isEqualTo(java.util.stream.LongStream.rangeClosed(1, 1 + PRODUCERS + SENDS_PER_CHANNEL).boxed().toList());
                    Map<String, Long> keysInChannel = new HashMap<>();
                    for (ChannelEvent ev : e.getValue()) {
                        if (ev.getKind() == EventKind.MESSAGE) {
                            assertThat(keysInChannel.put(ev.getIdempotencyKey(), ev.getSeq())).as("one event per key").isNull();
                            assertThat(seqByKey.get(ev.getIdempotencyKey())).isEqualTo(ev.getSeq());
                        }
                    }
                    for (int p = 0; p < PRODUCERS; p++) {
                        String user = "user" + p;
                        List<String> order = e.getValue().stream()
                                .filter(ev -> ev.getKind() == EventKind.MESSAGE && ev.getActor().getUser().equals(user))
                                .map(ChannelEvent::getIdempotencyKey).toList();
                        List<String> expected = java.util.stream.IntStream.range(0, perProducer)
                                .mapToObj(i -> "p" + user.substring(4) + "-" + e.getKey() + "-" + i).toList();
                        assertThat(order).as("%s's sends to %s in its own order", user, e.getKey()).isEqualTo(expected);
                    }
                }
            }
        }
    }
}
