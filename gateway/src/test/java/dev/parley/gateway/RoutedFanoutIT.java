package dev.parley.gateway;

import static dev.parley.gateway.support.Requests.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.api.routing.RoutingKeys;
import dev.parley.gateway.kafka.DeliveryTail;
import dev.parley.gateway.support.GatewayEnv;
import dev.parley.gateway.support.LaggingStore;
import dev.parley.gateway.support.Requests;
import dev.parley.testkit.KafkaTestCluster;
import dev.parley.testkit.RawWsClient;
import dev.parley.testkit.SharedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Routed fan-out end to end: the real topology with its router, and gateways in routed mode that read only their own
 * partition of the deliveries. Gateways A and B are given ids that hash to the same deliveries partition, so each
 * reads the other's records and must skip them by key. Every guarantee of tail mode holds: live delivery in order
 * without repeats, a join on a gateway that did not follow the channel, resume, private channel isolation, a dead
 * gateway's client resuming elsewhere; and a gateway decodes only the events of channels its connections follow.
 */
@ExtendWith(SharedKafka.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoutedFanoutIT {

    private static final Map<String, String> ROUTED = Map.of("PARLEY_FANOUT", "routed");

    private GatewayEnv env;
    private GatewayServer a;
    private GatewayServer b;
    private LaggingStore storeB; // B's client of the topology's queries, lagging only when a test says so

    @BeforeAll
    void start(KafkaTestCluster kafka) throws Exception {
        env = new GatewayEnv(kafka, RoutedFanoutIT.class);
        int partitions;
        try (var admin = kafka.admin()) {
            partitions = admin.describeTopics(List.of(env.names.deliveries())).allTopicNames().get()
                    .get(env.names.deliveries()).partitions().size();
        }
        String idA = "gw-a-" + System.nanoTime();
        String idB = idA;
        for (int i = 0; idB.equals(idA) || RoutingKeys.gatewayPartition(idB, partitions) != RoutingKeys.gatewayPartition(idA, partitions); i++) {
            idB = "gw-b-" + i + "-" + System.nanoTime();
        }
        a = env.gateway(with(ROUTED, "PARLEY_GATEWAY_ID", idA));
        // B removes a route as soon as its last follower leaves: a client that comes back starts it anew.
        b = env.gateway(with(ROUTED, "PARLEY_GATEWAY_ID", idB, "PARLEY_ROUTE_LINGER", "0s"), real -> storeB = new LaggingStore(real));
        assertThat(a.deliveries().partition()).isEqualTo(b.deliveries().partition());
        assertThat(a.tail()).as("no log tail in routed mode").isNull();
    }

    @AfterAll
    void stop() {
        env.close();
    }

    private static Map<String, String> with(Map<String, String> base, String... kv) {
        Map<String, String> out = new HashMap<>(base);
        for (int i = 0; i < kv.length; i += 2) {
            out.put(kv[i], kv[i + 1]);
        }
        return out;
    }

    private RawWsClient connect(GatewayServer g, String user) {
        return env.connect(g, user, "d-" + id("dev"), null);
    }

    private static void request(RawWsClient c, Map<String, Object> frame) {
        c.send(frame);
        JsonNode reply = c.reply("requestId", (String) frame.get("requestId"));
        assertThat(reply.path("type").asText()).as("reply to %s: %s", frame, reply).isEqualTo("ok");
    }

    /** Sends {@code n} messages pipelined, then waits for every ack; returns the seq of the last. */
    private static long send(RawWsClient c, String channel, int n) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String key = id("m");
            keys.add(key);
            c.send(Requests.send(channel, key, "message " + i));
        }
        long last = 0;
        for (String key : keys) {
            JsonNode ack = c.reply("clientMsgId", key);
            assertThat(ack.path("type").asText()).as("ack of %s: %s", key, ack).isEqualTo("ack");
            last = Math.max(last, ack.path("seq").asLong());
        }
        return last;
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    /**
     * The last record of a route in {@code parley.routes} (read from the beginning to its end): true if it is a route,
     * false if a tombstone; null if none.
     */
    private Boolean lastRouteRecord(String channel, GatewayServer g) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, env.kafka.bootstrapServers());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            int partitions = consumer.partitionsFor(env.names.routes()).size();
            TopicPartition tp = new TopicPartition(env.names.routes(), RoutingKeys.channelPartition(channel, partitions));
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            String key = RoutingKeys.route(channel, g.config().gatewayId());
            Boolean last = null;
            while (consumer.position(tp) < end) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key())) {
                        last = r.value() != null;
                    }
                }
            }
            return last;
        }
    }

    /** Every frame sent to the connection before now has arrived. */
    private static void barrier(RawWsClient c) {
        long pongs = c.frames().stream().filter(f -> f.path("type").asText().equals("pong")).count();
        c.send(Map.of("type", "ping"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> c.frames().stream().filter(f -> f.path("type").asText().equals("pong")).count() > pongs);
    }

    @Test
    void membersOnBothGatewaysGetEveryMessageLiveInOrderWithoutRepeats() {
        String ch = id("live");
        RawWsClient alice = connect(a, id("alice"));
        String bobId = id("bob");
        String carolId = id("carol");
        RawWsClient bob = connect(b, bobId);
        RawWsClient carol = connect(a, carolId);
        request(alice, Requests.create(ch, false, id("r")));
        request(bob, Requests.join(ch, id("r")));
        request(carol, Requests.join(ch, id("r")));
        long last = send(alice, ch, 30);
        assertThat(last).isEqualTo(33);

        alice.awaitEvents(ch, 33);
        bob.awaitEvents(ch, 32);
        carol.awaitEvents(ch, 31);
        barrier(bob);
        assertThat(alice.seqs(ch)).isEqualTo(range(1, 33));
        assertThat(bob.seqs(ch)).isEqualTo(range(2, 33));
        assertThat(carol.seqs(ch)).isEqualTo(range(3, 33));
    }

    @Test
    void aUserJoiningAChannelItsGatewayDoesNotFollowGetsTheJoinAndEveryLaterEvent() {
        String ch = id("joined");
        RawWsClient alice = connect(a, id("alice"));
        request(alice, Requests.create(ch, false, id("r")));
        send(alice, ch, 5);                                      // 2..6: B follows nobody in ch
        RawWsClient dave = connect(b, id("dave"));
        request(dave, Requests.join(ch, id("r")));               // 7, copied to every gateway
        long last = send(alice, ch, 20);                         // 8..27 race the start of B's route
        assertThat(last).isEqualTo(27);

        dave.awaitEvents(ch, 21);
        barrier(dave);
        assertThat(dave.seqs(ch)).isEqualTo(range(7, 27));
        assertThat(dave.events(ch).get(0).path("kind").asText()).isEqualTo("member_joined");
    }

    @Test
    void aClientThatMissedABurstResumesWithItsCursorAndIsCaughtUpWithoutFurtherTraffic() {
        String ch = id("resume");
        String erinId = id("erin");
        RawWsClient alice = connect(a, id("alice"));
        request(alice, Requests.create(ch, false, id("r")));
        RawWsClient erin = connect(b, erinId);
        request(erin, Requests.join(ch, id("r")));               // 2
        send(alice, ch, 3);                                      // 3..5
        erin.awaitEvents(ch, 4);
        long cursor = erin.seqs(ch).get(erin.seqs(ch).size() - 1);
        assertThat(cursor).isEqualTo(5);
        assertThat(lastRouteRecord(ch, b)).as("B's route of ch").isTrue();
        erin.close();                                            // B's last follower of ch: its route goes
        await().atMost(Duration.ofSeconds(30)).until(() -> Boolean.FALSE.equals(lastRouteRecord(ch, b)));
        long last = send(alice, ch, 25);                         // 6..30 while erin is away
        assertThat(last).isEqualTo(30);

        RawWsClient back = env.track(RawWsClient.connect(b.wsUrl()));
        back.hello(env.token(erinId), "d-back", Map.of(ch, cursor));
        JsonNode caughtUp = back.await(f -> f.path("type").asText().equals("caught_up") && f.path("channel").asText().equals(ch));
        assertThat(caughtUp.path("seq").asLong()).isEqualTo(30);
        assertThat(back.seqs(ch)).as("everything missed, in order, before caught_up").isEqualTo(range(6, 30));
        barrier(back);
        assertThat(back.seqs(ch)).isEqualTo(range(6, 30));
    }

    /**
     * The gateway's route starts after the connection subscribed, at a head its store did not show yet: the events up
     * to that head never come live, and nobody sends anything more. The route-started marker's head is what brings
     * them (without it the catch-up ends at the store's head and the rest waits for the next message). The store lags
     * through a fault-injecting decorator around the real client.
     */
    @Test
    void aResumeOnAGatewayThatFollowedNobodyInTheChannelGetsEverythingUpToTheRoutesHeadWhileTheStoreTrails() {
        String ch = id("trailing");
        String ivyId = id("ivy");
        RawWsClient alice = connect(a, id("alice"));
        request(alice, Requests.create(ch, false, id("r")));    // 1
        request(alice, Requests.add(ch, ivyId, id("r")));       // 2
        long head = send(alice, ch, 30);                         // 3..32
        assertThat(head).isEqualTo(32);
        storeB.lag(ch, 20);                                      // B's view of the store: head 12

        RawWsClient ivy = env.track(RawWsClient.connect(b.wsUrl()));
        ivy.hello(env.token(ivyId), "d-ivy", Map.of(ch, 2L));
        await().atMost(Duration.ofSeconds(30)).until(() -> storeB.lagging() > 0);
        storeB.release();                                        // the store catches up; nobody sends anything more
        ivy.awaitEvents(ch, 30);
        barrier(ivy);
        assertThat(ivy.seqs(ch)).isEqualTo(range(3, 32));
        List<JsonNode> frames = ivy.frames();
        for (int i = 0; i < frames.size(); i++) {
            JsonNode f = frames.get(i);
            if (f.path("type").asText().equals("caught_up") && f.path("channel").asText().equals(ch)) {
                long upTo = f.path("seq").asLong();
                assertThat(frames.subList(0, i).stream().filter(e -> e.path("type").asText().equals("event")
                        && e.path("channel").asText().equals(ch)).map(e -> e.path("seq").asLong()).toList())
                        .as("caught_up at %d means everything up to it", upTo).isEqualTo(range(3, upTo));
            }
        }
        storeB.release();
    }

    @Test
    void aNonMemberOnAGatewayThatFollowsAPrivateChannelGetsNothingOfIt() {
        String ch = id("private");
        String bobId = id("bob");
        RawWsClient alice = connect(a, id("alice"));
        RawWsClient frank = connect(b, id("frank"));
        RawWsClient bob = connect(b, bobId);
        request(alice, Requests.create(ch, true, id("r")));
        request(alice, Requests.add(ch, bobId, id("r")));        // 2: B follows ch for bob
        send(alice, ch, 10);                                     // 3..12
        bob.awaitEvents(ch, 11);
        assertThat(bob.seqs(ch)).isEqualTo(range(2, 12));
        barrier(frank);
        assertThat(frank.frames()).as("frames of the private channel to a non-member")
                .noneMatch(f -> f.path("channel").asText().equals(ch) || f.toString().contains('"' + ch + '"'));
    }

    @Test
    void aClientOfAGatewayThatDiedWithoutRemovingItsRoutesResumesOnAnotherWithEverything() {
        String ch = id("outage");
        String carolId = id("carol");
        GatewayServer doomed = env.gateway(ROUTED);
        RawWsClient alice = connect(b, id("alice"));
        RawWsClient carol = connect(doomed, carolId);
        request(alice, Requests.create(ch, false, id("r")));
        request(carol, Requests.join(ch, id("r")));              // 2
        send(alice, ch, 10);                                     // 3..12
        carol.awaitEvents(ch, 11);
        long cursor = carol.seqs(ch).get(carol.seqs(ch).size() - 1);
        assertThat(carol.seqs(ch)).isEqualTo(range(2, 12));

        doomed.closeWithoutRouteRemoval();                       // stands for a SIGKILL: its routes stay until their lease ends
        carol.awaitClose();
        assertThat(lastRouteRecord(ch, doomed)).as("no tombstone from a killed gateway").isTrue();
        long last = send(alice, ch, 15);                         // 13..27
        RawWsClient back = env.track(RawWsClient.connect(b.wsUrl()));
        back.hello(env.token(carolId), "d-back", Map.of(ch, cursor));
        JsonNode caughtUp = back.await(f -> f.path("type").asText().equals("caught_up") && f.path("channel").asText().equals(ch));
        assertThat(caughtUp.path("seq").asLong()).isEqualTo(last);
        long more = send(alice, ch, 3);                          // 28..30 live on B
        back.awaitEvents(ch, (int) (more - cursor));
        barrier(back);
        assertThat(back.seqs(ch)).isEqualTo(range(cursor + 1, more));
        assertThat(alice.seqs(ch)).isEqualTo(range(1, more));
    }

    @Test
    void aGatewayDecodesOnlyTheEventsOfTheChannelsItsConnectionsFollowAndTheMembershipChanges() {
        DeliveryTail onA = a.deliveries();
        DeliveryTail onB = b.deliveries();
        RawWsClient gina = connect(a, id("gina"));
        RawWsClient hank = connect(b, id("hank"));
        long startedA = onA.routesStarted();
        long startedB = onB.routesStarted();
        long eventsA0 = onA.eventsSeen();
        long eventsB0 = onB.eventsSeen();

        List<String> channels = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String ch = id("busy" + i);
            channels.add(ch);
            request(gina, Requests.create(ch, false, id("r")));  // A follows all ten
        }
        String followed = channels.get(0);
        request(hank, Requests.join(followed, id("r")));         // B follows one
        await().atMost(Duration.ofSeconds(60)).until(() -> onA.routesStarted() >= startedA + 10 && onB.routesStarted() >= startedB + 1);
        // The membership changes (10 creations, 1 join) went to every gateway, and nothing else yet.
        await().atMost(Duration.ofSeconds(60)).until(() -> onB.eventsSeen() >= eventsB0 + 11 && onA.eventsSeen() >= eventsA0 + 11);
        assertThat(onB.eventsSeen() - eventsB0).isEqualTo(11);
        assertThat(onA.eventsSeen() - eventsA0).isEqualTo(11);
        assertThat(onA.routesStarted() - startedA).isEqualTo(10);
        assertThat(onB.routesStarted() - startedB).isEqualTo(1);
        assertThat(a.routes().awaitingRouter()).as("every new route of A was answered by the router").isZero();
        assertThat(b.routes().awaitingRouter()).isZero();
        assertThat(a.routes().unanswered()).isZero();

        long decodedA = onA.decoded();
        long skippedA = onA.skipped();
        long decodedB = onB.decoded();
        long skippedB = onB.skipped();
        int perChannel = 20;
        for (String ch : channels) {
            for (int i = 0; i < perChannel; i++) {
                gina.send(Requests.send(ch, id("m"), "busy " + i));
            }
        }
        for (String ch : channels) {
            gina.awaitEvents(ch, 1 + perChannel);
        }
        hank.awaitEvents(followed, 1 + perChannel);
        int sent = channels.size() * perChannel;
        await().atMost(Duration.ofSeconds(60)).until(() -> onA.decoded() - decodedA >= sent && onB.skipped() - skippedB >= sent
                && onB.decoded() - decodedB >= perChannel && onA.skipped() - skippedA >= perChannel);
        assertThat(onB.decoded() - decodedB).as("B decodes the events of the one channel it follows").isEqualTo(perChannel);
        assertThat(onB.skipped() - skippedB).as("and skips A's copies of all ten by their key").isEqualTo(sent);
        assertThat(onA.decoded() - decodedA).isEqualTo(sent);
        assertThat(onA.skipped() - skippedA).isEqualTo(perChannel);
        assertThat(hank.seqs(followed)).isEqualTo(range(2, 2 + perChannel));
        assertThat(hank.frames()).noneMatch(f -> channels.subList(1, 10).contains(f.path("channel").asText()));
        assertThat(b.metrics().scrape()).contains("parley_gateway_deliveries_decoded_total", "parley_gateway_deliveries_skipped_total");
    }
}
