package dev.parley.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.avro.result.Accepted;
import dev.parley.avro.result.CommandResult;
import dev.parley.avro.result.Duplicate;
import dev.parley.testkit.KafkaTestCluster;
import dev.parley.testkit.SharedKafka;
import dev.parley.topology.support.Commands;
import dev.parley.topology.support.TopologyEnv;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Idempotency keys and sequences survive a restart: on the same state dir, and rebuilt from the changelog on a new one. */
@ExtendWith(SharedKafka.class)
class SequencerRestartIT {

    private static TopologyEnv env;

    @BeforeAll
    static void setUp(KafkaTestCluster kafka) {
        env = new TopologyEnv(kafka, SequencerRestartIT.class, 2);
    }

    @AfterAll
    static void tearDown() {
        env.close();
    }

    @Test
    void retriesAfterARestartGetTheOriginalSeq(@TempDir Path first, @TempDir Path fresh) {
        String app = "restart-" + System.nanoTime();
        List<CommandResult> results = new ArrayList<>();
        try (var producer = env.commandProducer(); var consumer = env.resultConsumer()) {
            try (TopologyService a = TopologyService.start(env.instanceConfig(app, first, 0))) {
                env.send(producer, Commands.create("general", "alice", false, Instant.now()));
                env.send(producer, Commands.send("general", "alice", "k1", "before", Instant.now()));
                producer.flush();
                await().atMost(Duration.ofSeconds(60)).until(() -> drainResults(consumer, results) >= 2);
            }
            Accepted original = (Accepted) results.get(1).getOutcome();

            // Same state dir: local RocksDB state is reused.
            try (TopologyService b = TopologyService.start(env.instanceConfig(app, first, 0))) {
                env.send(producer, Commands.send("general", "alice", "k1", "retry 1", Instant.now()));
                env.send(producer, Commands.send("general", "alice", "k2", "new", Instant.now()));
                producer.flush();
                await().atMost(Duration.ofSeconds(60)).until(() -> drainResults(consumer, results) >= 4);
            }
            // A brand-new state dir: everything is restored from the changelog topics.
            try (TopologyService c = TopologyService.start(env.instanceConfig(app, fresh, 0))) {
                env.send(producer, Commands.send("general", "alice", "k1", "retry 2", Instant.now()));
                env.send(producer, Commands.send("general", "alice", "k3", "newer", Instant.now()));
                producer.flush();
                await().atMost(Duration.ofSeconds(90)).until(() -> drainResults(consumer, results) >= 6);
            }
            Duplicate dup = new Duplicate(original.getSeq(), original.getEventId(), original.getMessageId());
            assertThat(results.get(2).getOutcome()).isEqualTo(dup);
            assertThat(((Accepted) results.get(3).getOutcome()).getSeq()).isEqualTo(3);
            assertThat(results.get(4).getOutcome()).isEqualTo(dup);
            assertThat(((Accepted) results.get(5).getOutcome()).getSeq()).isEqualTo(4);
        }
    }

    private static int drainResults(org.apache.kafka.clients.consumer.KafkaConsumer<String, CommandResult> consumer, List<CommandResult> into) {
        TopologyEnv.drain(consumer, into);
        return into.size();
    }
}
