package dev.parley.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.testkit.KafkaTestCluster;
import dev.parley.testkit.SharedKafka;
import dev.parley.api.query.ChannelQueries;
import dev.parley.api.query.EventPage;
import dev.parley.api.query.QueryClient;
import dev.parley.api.query.UserChannel;
import dev.parley.topology.support.Commands;
import dev.parley.topology.support.TopologyEnv;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interactive queries over two instances: each answers for keys owned by either (forwarding to the owner),
 * and when one stops the other keeps answering, from its standby copies while they are promoted.
 */
@ExtendWith(SharedKafka.class)
class InteractiveQueriesIT {

    private static final long ALL = ChannelQueries.COMMITTED;
    private static final int CHANNELS = 8;
    private static final int MESSAGES = 30;
    private static TopologyEnv env;

    @BeforeAll
    static void setUp(KafkaTestCluster kafka) {
        env = new TopologyEnv(kafka, InteractiveQueriesIT.class, 4);
    }

    @AfterAll
    static void tearDown() {
        env.close();
    }

    @Test
    void bothInstancesAnswerForEveryKeyAndTheSurvivorKeepsAnswering(@TempDir Path dirA, @TempDir Path dirB) {
        String app = "iq-" + System.nanoTime();
        TopologyService a = TopologyService.start(env.instanceConfig(app, dirA, 1));
        try (TopologyService b = TopologyService.start(env.instanceConfig(app, dirB, 1))) {
            await().atMost(Duration.ofSeconds(90)).until(() -> a.isRunning() && b.isRunning());
            try (var producer = env.commandProducer()) {
                for (int c = 0; c < CHANNELS; c++) {
                    env.send(producer, Commands.create("ch" + c, "alice", c % 2 == 1, Instant.now()));
                    env.send(producer, Commands.add("ch" + c, "alice", "bob", Instant.now()));
                    for (int i = 0; i < MESSAGES; i++) {
                        env.send(producer, Commands.send("ch" + c, "alice", "k" + i, "message " + i, Instant.now()));
                    }
                }
            }
            QueryClient viaA = new QueryClient(List.of(a.rpcUrl()), Duration.ofSeconds(15), env.rpcSecret);
            QueryClient viaB = new QueryClient(List.of(b.rpcUrl()), Duration.ofSeconds(15), env.rpcSecret);
            long head = 2 + MESSAGES;

            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                for (QueryClient q : List.of(viaA, viaB)) {
                    for (int c = 0; c < CHANNELS; c++) {
                        assertThat(q.channel("ch" + c, ALL)).hasValueSatisfying(s -> assertThat(s.head()).isEqualTo(head));
                    }
                }
            });
            // Each instance owns some channels and forwards the rest: every answer is complete and identical.
            for (QueryClient q : List.of(viaA, viaB)) {
                for (int c = 0; c < CHANNELS; c++) {
                    EventPage first = q.eventsAfter("ch" + c, 0, 10, ALL);
                    assertThat(first.events()).extracting(n -> n.get("seq").asLong()).isEqualTo(LongStream.rangeClosed(1, 10).boxed().toList());
                    assertThat(first.more()).isTrue();
                    assertThat(first.head()).isEqualTo(head);
                    EventPage rest = q.eventsAfter("ch" + c, 10, 1000, ALL);
                    assertThat(rest.events()).extracting(n -> n.get("seq").asLong()).isEqualTo(LongStream.rangeClosed(11, head).boxed().toList());
                    assertThat(rest.more()).isFalse();
                    assertThat(rest.events().get(rest.events().size() - 1).get("text").asText()).isEqualTo("message " + (MESSAGES - 1));
                    EventPage back = q.eventsBefore("ch" + c, 5, 3, ALL);
                    assertThat(back.events()).extracting(n -> n.get("seq").asLong()).containsExactly(2L, 3L, 4L);
                    assertThat(back.more()).isTrue();
                    assertThat(q.member("ch" + c, "bob")).hasValueSatisfying(m -> assertThat(m.role()).isEqualTo("member"));
                    assertThat(q.member("ch" + c, "mallory")).isEmpty();
                    assertThat(q.members("ch" + c, null, 10).members()).extracting(m -> m.user()).containsExactly("alice", "bob");
                }
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(q.channelsOf("bob").channels()).extracting(UserChannel::channel)
                                .containsExactlyElementsOf(LongStream.range(0, CHANNELS).mapToObj(i -> "ch" + i).toList()));
                assertThat(q.channelsOf("bob").channels()).allSatisfy(uc -> assertThat(uc.head()).isEqualTo(head));
                assertThat(q.channel("nope", ALL)).isEmpty();
            }

            // Stop A: B answers for every key, first from its standby copies, then as the new owner.
            a.close();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                for (int c = 0; c < CHANNELS; c++) {
                    EventPage page = viaB.eventsAfter("ch" + c, 0, 1000, ALL);
                    assertThat(page.events()).hasSize((int) head);
                }
                assertThat(viaB.channelsOf("bob").channels()).hasSize(CHANNELS);
            });
            // Once B owns every partition, answers come from active stores again (stale=false), also through a
            // client that lists a dead instance first.
            QueryClient withDeadInstance = new QueryClient(List.of(URI.create("http://127.0.0.1:1"), b.rpcUrl()), Duration.ofSeconds(15), env.rpcSecret);
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                assertThat(b.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
                for (int c = 0; c < CHANNELS; c++) {
                    EventPage page = withDeadInstance.eventsAfter("ch" + c, 0, 1000, ALL);
                    assertThat(page.stale()).isFalse();
                    assertThat(page.events()).hasSize((int) head);
                }
            });
        } finally {
            a.close();
        }
    }
}
