package dev.parley.gateway;

import static dev.parley.gateway.support.Requests.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.gateway.support.GatewayEnv;
import dev.parley.gateway.support.Requests;
import dev.parley.testkit.RawWsClient;
import dev.parley.testkit.KafkaTestCluster;
import dev.parley.testkit.SharedKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Batched delivery end to end: clients that say {@code "batch":true} in their hello get a channel's live events as
 * {@code events} frames, gap-free and in order, next to clients that do not and keep one {@code event} frame per
 * event; resume, {@code caught_up} and private channels work as for everyone. Real broker, topology, gateways and
 * sockets. The second gateway has a long window, so that batches form whatever the machine's speed.
 */
@ExtendWith(SharedKafka.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchDeliveryIT {

    private static final Map<String, Object> BATCH = Map.of("batch", true);

    private GatewayEnv env;
    private GatewayServer g1;
    private GatewayServer g2;

    @BeforeAll
    void start(KafkaTestCluster kafka) {
        env = new GatewayEnv(kafka, BatchDeliveryIT.class);
        g1 = env.gateway();
        g2 = env.gateway(Map.of("PARLEY_BATCH_WINDOW", "200ms"));
    }

    @AfterAll
    void stop() {
        env.close();
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    /** The number of events in each live {@code events} frame of the channel. */
    private static List<Integer> batchSizes(RawWsClient c, String channel) {
        return c.frames().stream().filter(f -> f.path("type").asText().equals("events") && f.path("channel").asText().equals(channel))
                .map(f -> f.path("events").size()).toList();
    }

    @Test
    void batchedAndOldClientsGetEveryEventOnceInOrderTheBatchedOnesInEventsFrames() {
        String ch = id("crowd");
        RawWsClient alice = env.connect(g1, "alice", "phone", null, BATCH);
        RawWsClient bob = env.connect(g2, "bob", "laptop", null, BATCH);
        RawWsClient carol = env.connect(g2, "carol", "phone", null);
        assertThat(alice.request(Requests.create(ch, false, id("r"))).path("seq").asLong()).isEqualTo(1);
        assertThat(bob.request(Requests.join(ch, id("r"))).path("seq").asLong()).isEqualTo(2);
        assertThat(carol.request(Requests.join(ch, id("r"))).path("seq").asLong()).isEqualTo(3);

        int n = 150;
        for (int i = 0; i < n; i++) {
            alice.send(Requests.send(ch, "m" + i, "message " + i)); // pipelined: commits come in bursts
        }
        long last = 3 + n;
        assertThat(alice.awaitDelivered(ch, (int) last)).isEqualTo(range(1, last));
        assertThat(bob.awaitDelivered(ch, (int) last - 1)).isEqualTo(range(2, last));
        assertThat(carol.awaitEvents(ch, (int) last - 2)).extracting(e -> e.path("seq").asLong()).isEqualTo(range(3, last));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> bob.deliveredSeqs(ch).size() == last - 1);
        assertThat(bob.deliveredSeqs(ch)).as("no repeat").isEqualTo(range(2, last));

        assertThat(batchSizes(bob, ch)).as("a 200 ms window gathers a pipelined burst").anyMatch(size -> size > 1);
        assertThat(carol.frames()).as("a client that did not ask gets no batch").noneMatch(f -> f.path("type").asText().equals("events"));
        for (JsonNode e : bob.delivered(ch)) {
            if (e.path("kind").asText().equals("message")) {
                assertThat(e.path("text").asText()).isEqualTo("message " + (e.path("seq").asLong() - 4));
                assertThat(e.path("clientMsgId").asText()).isEqualTo("m" + (e.path("seq").asLong() - 4));
            }
        }
        JsonNode welcome = bob.frames().get(0);
        assertThat(welcome.path("delivery").path("batch").asBoolean()).isTrue();
        assertThat(welcome.path("delivery").path("batchWindowMs").asLong()).isEqualTo(200);
        assertThat(carol.frames().get(0).path("delivery").path("batch").asBoolean()).as("not asked, not given").isFalse();
    }

    @Test
    void aBatchedClientResumesWithCaughtUpAndAPrivateChannelNeverReachesABatchedNonMember() {
        String ch = id("private");
        RawWsClient alice = env.connect(g1, "alice", "tablet", null, BATCH);
        RawWsClient mallory = env.connect(g2, "mallory", "phone", null, BATCH);
        alice.request(Requests.create(ch, true, id("r")));
        alice.request(Map.of("type", "add_member", "channel", ch, "user", "dan", "requestId", id("r")));
        RawWsClient dan = env.connect(g2, "dan", "phone", null, BATCH);
        for (int i = 0; i < 10; i++) {
            alice.send(Requests.send(ch, "p" + i, "secret " + i));
        }
        assertThat(dan.awaitDelivered(ch, 10)).isEqualTo(range(3, 12));
        dan.close();

        for (int i = 10; i < 40; i++) {
            alice.send(Requests.send(ch, "p" + i, "secret " + i)); // dan misses 13..42
        }
        alice.awaitDelivered(ch, 42);
        RawWsClient back = env.connect(g2, "dan", "phone", Map.of(ch, 12L), BATCH);
        JsonNode caughtUp = back.await(f -> f.path("type").asText().equals("caught_up") && f.path("channel").asText().equals(ch));
        assertThat(caughtUp.path("seq").asLong()).isGreaterThanOrEqualTo(42);
        for (int i = 40; i < 60; i++) {
            alice.send(Requests.send(ch, "p" + i, "secret " + i));
        }
        assertThat(back.awaitDelivered(ch, 50)).isEqualTo(range(13, 62));

        mallory.request(Requests.create(id("mallorys"), false, id("r"))); // mallory's connection works...
        assertThat(mallory.delivered(ch)).as("...and never saw the private channel").isEmpty();
        assertThat(mallory.frames()).noneMatch(f -> f.toString().contains("secret"));
    }

    @Test
    void aBatchValueThatIsNotABooleanIsInvalid() {
        RawWsClient c = env.track(RawWsClient.connect(g1.wsUrl()));
        JsonNode reply = c.hello(env.token("erin"), "phone", null, Map.of("batch", "yes"));
        assertThat(reply.path("type").asText()).isEqualTo("error");
        assertThat(reply.path("code").asText()).isEqualTo("invalid");
        assertThat(reply.path("message").asText()).contains("batch");
    }
}
