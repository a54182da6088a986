package dev.parley.gateway;

import static dev.parley.gateway.support.Requests.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.api.presence.GatewayView;
import dev.parley.api.presence.PresenceKeys;
import dev.parley.api.presence.PresenceStatus;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.presence.PresenceRecord;
import dev.parley.avro.typing.TypingEvent;
import dev.parley.gateway.support.GatewayEnv;
import dev.parley.gateway.support.LaggingStore;
import dev.parley.gateway.support.Requests;
import dev.parley.testkit.RawWsClient;
import dev.parley.schemas.serde.ParleyAvroSerde;
import dev.parley.schemas.serde.SerdeConfig;
import dev.parley.testkit.ChildJvm;
import dev.parley.testkit.KafkaTestCluster;
import dev.parley.testkit.SharedKafka;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The ephemeral path end to end: presence and typing across gateways (two in this JVM, one in a child JVM that is
 * SIGKILLed), privacy, and that none of it reaches the committed log. Short registry timings, so a dead gateway's
 * users go offline within seconds.
 */
@ExtendWith(SharedKafka.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PresenceIT {

    private static final Map<String, String> FAST = Map.of(
            "PARLEY_PRESENCE_HEARTBEAT", "500ms",
            "PARLEY_PRESENCE_TIMEOUT", "5s", // short for the SIGKILL test, long enough for a loaded machine
            "PARLEY_PRESENCE_GRACE", "3s",
            "PARLEY_PRESENCE_DEBOUNCE", "1s",
            "PARLEY_PRESENCE_MAX_WATCHED", "5");

    private GatewayEnv env;
    private GatewayServer g1;
    private GatewayServer g2;
    private LaggingStore store; // g2's topology client

    @BeforeAll
    void start(KafkaTestCluster kafka) {
        env = new GatewayEnv(kafka, PresenceIT.class);
        g1 = env.gateway(FAST);
        g2 = env.gateway(FAST, real -> store = new LaggingStore(real));
    }

    @AfterAll
    void stop() {
        env.close();
    }

    /** A welcomed client that watches {@code watch} from its hello on. */
    private RawWsClient connect(GatewayServer g, String user, String device, List<String> watch) {
        return connect(g.wsUrl(), user, device, watch);
    }

    private RawWsClient connect(URI ws, String user, String device, List<String> watch) {
        RawWsClient c = env.track(RawWsClient.connect(ws));
        ObjectNode hello = RawWsClient.JSON.createObjectNode();
        hello.put("type", "hello");
        hello.put("token", env.token(user));
        hello.put("device", device);
        if (watch != null) {
            watch.forEach(hello.putArray("presence")::add);
        }
        c.send(hello);
        JsonNode welcome = c.await(f -> f.path("type").asText().equals("welcome") || f.path("type").asText().equals("error"));
        assertThat(welcome.path("type").asText()).as("welcome of %s/%s", user, device).isEqualTo("welcome");
        return c;
    }

    private static JsonNode request(RawWsClient c, Map<String, Object> frame) {
        c.send(frame);
        JsonNode reply = c.reply("requestId", (String) frame.get("requestId"));
        assertThat(reply.path("type").asText()).as("reply to %s", frame).isIn("ok", "presence_watch");
        return reply;
    }

    private static Predicate<JsonNode> presence(String user, String status) {
        return f -> f.path("type").asText().equals("presence") && f.path("user").asText().equals(user)
                && f.path("status").asText().equals(status);
    }

    private static Predicate<JsonNode> typing(String channel, String user) {
        return f -> f.path("type").asText().equals("typing") && f.path("channel").asText().equals(channel)
                && f.path("user").asText().equals(user);
    }

    private static long count(RawWsClient c, Predicate<JsonNode> p) {
        return c.frames().stream().filter(p).count();
    }

    /** Everything the connection was sent before this point has arrived (frames of a connection keep their order). */
    private static void barrier(RawWsClient c) {
        long pongs = count(c, f -> f.path("type").asText().equals("pong"));
        c.send(Map.of("type", "ping"));
        await().atMost(Duration.ofSeconds(30)).until(() -> count(c, f -> f.path("type").asText().equals("pong")) > pongs);
    }

    private static Map<String, Object> watch(String requestId, String... users) {
        return Map.of("type", "presence_watch", "requestId", requestId, "users", List.of(users));
    }

    @Test
    void aUserOnOneGatewaySeesPresenceAndTypingOfAUserOnTheOther() {
        String alice = id("alice");
        String bob = id("bob");
        String ch = id("team");
        RawWsClient alicePhone = connect(g1, alice, "phone", null);
        request(alicePhone, Requests.create(ch, true, id("r")));
        request(alicePhone, Requests.add(ch, bob, id("r")));

        JsonNode watched = request(alicePhone, watch("w-1", bob));
        assertThat(watched.path("users")).hasSize(1);
        assertThat(watched.path("users").get(0).path("user").asText()).isEqualTo(bob);
        assertThat(watched.path("users").get(0).path("status").asText()).isEqualTo("offline");
        assertThat(watched.path("notVisible")).isEmpty();

        RawWsClient bobPhone = connect(g2, bob, "phone", List.of(alice));
        JsonNode fromHello = bobPhone.awaitType("presence_watch", null, null);
        assertThat(fromHello.has("requestId")).isFalse();
        assertThat(fromHello.path("users").get(0).path("status").asText()).isEqualTo("online");
        assertThat(bobPhone.frames().get(0).path("type").asText()).as("the welcome comes first").isEqualTo("welcome");
        alicePhone.await(presence(bob, "online"));
        RawWsClient bobLaptop = connect(g1, bob, "laptop", null);
        bobPhone.await(f -> f.path("kind").asText().equals("member_joined")
                || f.path("type").asText().equals("welcome")); // bob follows the channel on both gateways

        bobPhone.send(Map.of("type", "typing", "channel", ch));
        JsonNode typing = alicePhone.await(typing(ch, bob));
        assertThat(typing.path("expiresIn").asInt()).isBetween(1, 5000);
        bobPhone.send(Map.of("type", "typing", "channel", ch)); // within 3 s: dropped
        await().atMost(Duration.ofSeconds(30)).until(() -> g2.metrics().scrape()
                .contains("parley_gateway_typing_total{gateway=\"" + g2.config().gatewayId() + "\",outcome=\"rate_limited\"} 1.0"));
        barrier(alicePhone);
        barrier(bobLaptop);
        assertThat(count(alicePhone, typing(ch, bob))).isEqualTo(1);
        assertThat(count(bobLaptop, f -> f.path("type").asText().equals("typing"))).as("not to the typer's own devices").isZero();
        assertThat(count(bobPhone, f -> f.path("type").asText().equals("typing"))).isZero();

        bobPhone.send(Map.of("type", "set_status", "status", "away"));
        barrier(bobPhone);
        assertThat(count(alicePhone, presence(bob, "away"))).as("bob's laptop is still active").isZero();
        bobLaptop.send(Map.of("type", "set_status", "status", "away"));
        JsonNode away = alicePhone.await(presence(bob, "away"));
        assertThat(away.path("lastSeen").asLong()).isPositive();

        bobPhone.close();
        bobLaptop.close();
        JsonNode offline = alicePhone.await(presence(bob, "offline"));
        assertThat(offline.path("lastSeen").asLong()).isPositive();
        assertThat(alicePhone.frames().stream().filter(f -> f.path("type").asText().equals("presence")).map(f -> f.path("status").asText()))
                .as("changes only, in order").containsExactly("online", "away", "offline");
    }

    @Test
    void aReconnectWithinTheGraceIsNoOfflineForObservers() {
        String erin = id("erin");
        String gus = id("gus");
        String ch = id("pair");
        RawWsClient erinPhone = connect(g1, erin, "phone", null);
        request(erinPhone, Requests.create(ch, true, id("r")));
        request(erinPhone, Requests.add(ch, gus, id("r")));
        request(erinPhone, watch("w", gus));
        RawWsClient first = connect(g2, gus, "phone", null);
        erinPhone.await(presence(gus, "online"));

        first.close();
        RawWsClient again = connect(g1, gus, "phone", null); // the same device, on the other gateway
        await().atMost(Duration.ofSeconds(30)).until(() -> g2.presence().registry().presenceOf(gus).gateways()
                .equals(Map.of(g1.config().gatewayId(), 1)));
        barrier(erinPhone);
        assertThat(count(erinPhone, f -> f.path("type").asText().equals("presence"))).isEqualTo(1);
        again.close();
    }

    @Test
    void nonMembersNeverReceiveTypingOrPresenceOfAPrivateChannelsMembers() {
        String ann = id("ann");
        String ben = id("ben");
        String otto = id("otto");
        String mallory = id("mallory");
        String secret = id("secret");
        String lobby = id("lobby");
        RawWsClient annPhone = connect(g2, ann, "phone", null);
        request(annPhone, Requests.create(secret, true, id("r")));
        request(annPhone, Requests.add(secret, ben, id("r")));
        RawWsClient ottoPhone = connect(g1, otto, "phone", null);
        request(ottoPhone, Requests.create(lobby, false, id("r")));
        RawWsClient benPhone = connect(g1, ben, "phone", List.of(ann));
        RawWsClient malloryOne = connect(g1, mallory, "one", List.of(ann, ben, mallory));
        RawWsClient malloryTwo = connect(g2, mallory, "two", null);
        request(malloryTwo, Requests.join(lobby, id("r")));
        JsonNode fromHello = malloryOne.awaitType("presence_watch", null, null);
        assertThat(fromHello.path("notVisible")).extracting(JsonNode::asText).containsExactly(ann, ben);
        assertThat(fromHello.path("users")).extracting(u -> u.path("user").asText()).containsExactly(mallory);
        JsonNode asked = request(malloryTwo, watch("w", ann, ben, otto));
        assertThat(asked.path("users")).extracting(u -> u.path("user").asText()).containsExactly(otto);
        assertThat(asked.path("notVisible")).extracting(JsonNode::asText).containsExactly(ann, ben);

        malloryTwo.send(Map.of("type", "typing", "channel", secret));
        JsonNode refused = malloryTwo.await(f -> f.path("type").asText().equals("error") && f.path("channel").asText().equals(secret));
        assertThat(refused.path("code").asText()).isEqualTo("not_a_member");

        annPhone.send(Map.of("type", "typing", "channel", secret));
        benPhone.await(typing(secret, ann));
        annPhone.send(Map.of("type", "set_status", "status", "away"));
        benPhone.await(presence(ann, "away"));
        ottoPhone.send(Map.of("type", "typing", "channel", lobby)); // mallory is in the lobby: this one she gets
        malloryTwo.await(typing(lobby, otto));
        malloryOne.await(typing(lobby, otto));
        for (RawWsClient m : List.of(malloryOne, malloryTwo)) {
            barrier(m);
            assertThat(m.frames()).noneMatch(f -> f.path("type").asText().equals("typing") && f.path("channel").asText().equals(secret));
            assertThat(m.frames()).noneMatch(f -> f.path("type").asText().equals("presence")
                    && List.of(ann, ben).contains(f.path("user").asText()));
        }
    }

    @Test
    void aJoinSeenWhileAWatchIsBeingLookedUpIsNotMissed() throws Exception {
        String jo = id("jo");
        String kai = id("kai");
        String ch = id("late");
        RawWsClient joPhone = connect(g1, jo, "phone", null);
        request(joPhone, Requests.create(ch, false, id("r")));
        RawWsClient joLaptop = connect(g2, jo, "laptop", null); // follows ch on g2: sees what g2's hub sees

        LaggingStore.Hold hold = store.holdNextCommonChannels();
        RawWsClient kaiPhone = connect(g2, kai, "phone", List.of(jo));
        assertThat(hold.fetched().await(60, TimeUnit.SECONDS)).isTrue(); // the answer: kai shares nothing with jo
        request(kaiPhone, Requests.join(ch, id("r")));
        joLaptop.await(f -> f.path("kind").asText().equals("member_joined") && f.path("channel").asText().equals(ch)
                && f.path("member").asText().equals(kai));
        hold.release().countDown(); // the old answer arrives after g2 saw the join

        // The answer is corrected on arrival, or a presence frame follows it: either way kai sees jo online.
        kaiPhone.await(f -> presence(jo, "online").test(f) || (f.path("type").asText().equals("presence_watch")
                && f.path("users").findValuesAsText("user").contains(jo)));
        barrier(kaiPhone);
        assertThat(kaiPhone.frames()).noneMatch(f -> f.path("type").asText().equals("presence") && f.path("user").asText().equals(jo)
                && !f.path("visible").asBoolean(true));
    }

    @Test
    void leavingTheOnlySharedChannelHidesPresenceAtOnce() {
        String kim = id("kim");
        String lee = id("lee");
        String ch = id("only");
        RawWsClient kimPhone = connect(g1, kim, "phone", null);
        request(kimPhone, Requests.create(ch, true, id("r")));
        request(kimPhone, Requests.add(ch, lee, id("r")));
        RawWsClient leePhone = connect(g2, lee, "phone", List.of(kim));
        assertThat(leePhone.awaitType("presence_watch", null, null).path("users").get(0).path("status").asText())
                .isEqualTo("online");

        request(leePhone, Requests.leave(ch, id("r")));
        JsonNode hidden = leePhone.await(f -> f.path("type").asText().equals("presence") && f.path("user").asText().equals(kim));
        assertThat(hidden.path("visible").asBoolean(true)).isFalse();
        kimPhone.send(Map.of("type", "set_status", "status", "away"));
        await().atMost(Duration.ofSeconds(30)).until(() -> g2.presence().registry().presenceOf(kim).status() == PresenceStatus.AWAY);
        barrier(leePhone);
        assertThat(leePhone.frames()).noneMatch(presence(kim, "away"));
        assertThat(request(leePhone, watch("again", kim)).path("notVisible")).extracting(JsonNode::asText).containsExactly(kim);
    }

    @Test
    void aKilledGatewaysUsersGoOfflineWithinTheBoundWhileAnotherDeviceKeepsAUserOnline() throws Exception {
        String carol = id("carol");
        String dave = id("dave");
        String erin = id("erin");
        String ch = id("ops");
        String doomedId = id("gw-doomed");
        Map<String, String> childEnv = new HashMap<>(env.gatewayEnv(FAST));
        childEnv.put("PARLEY_GATEWAY_ID", doomedId);
        RawWsClient erinPhone = connect(g2, erin, "phone", null);
        request(erinPhone, Requests.create(ch, true, id("r")));
        request(erinPhone, Requests.add(ch, carol, id("r")));
        request(erinPhone, Requests.add(ch, dave, id("r")));
        request(erinPhone, watch("w", carol, dave));
        try (ChildJvm doomed = ChildJvm.start(GatewayMain.class, childEnv, "PARLEY_GATEWAY_READY")) {
            URI doomedUrl = URI.create(doomed.awaitReady(90, TimeUnit.SECONDS));
            connect(doomedUrl, carol, "phone", null);
            connect(doomedUrl, dave, "phone", null);
            connect(g1, dave, "laptop", null);
            erinPhone.await(presence(carol, "online"));
            erinPhone.await(presence(dave, "online"));
            await().atMost(Duration.ofSeconds(30)).until(() -> g2.presence().registry().presenceOf(dave).devices() == 2);

            doomed.kill();

            JsonNode offline = erinPhone.await(presence(carol, "offline"));
            assertThat(offline.path("lastSeen").asLong()).isPositive();
            assertThat(g2.presence().registry().gateways()).filteredOn(g -> g.gateway().equals(doomedId))
                    .singleElement().satisfies(g -> assertThat(g.alive()).isFalse());
            assertThat(g2.presence().registry().presenceOf(dave).gateways()).isEqualTo(Map.of(g1.config().gatewayId(), 1));
            barrier(erinPhone);
            assertThat(count(erinPhone, f -> f.path("type").asText().equals("presence") && f.path("user").asText().equals(dave)))
                    .as("dave's laptop keeps him online: no offline for him").isEqualTo(1);
        }

        // The same gateway id again: its new incarnation supersedes the entries the killed one left in the topic.
        try (ChildJvm again = ChildJvm.start(GatewayMain.class, childEnv, "PARLEY_GATEWAY_READY")) {
            again.awaitReady(90, TimeUnit.SECONDS);
            Map<String, PresenceRecord> latest = latestPresence();
            assertThat(latest).containsEntry(PresenceKeys.entry(carol, doomedId), null).containsEntry(PresenceKeys.entry(dave, doomedId), null);
            await().atMost(Duration.ofSeconds(30)).until(() -> g1.presence().registry().gateways().stream()
                    .anyMatch(g -> g.gateway().equals(doomedId) && g.alive()));
            assertThat(g1.presence().registry().presenceOf(carol).status()).isEqualTo(PresenceStatus.OFFLINE);
        }
    }

    @Test
    void aCleanStopTakesTheGatewaysUsersOutOfTheRegistryAtOnce() {
        String frank = id("frank");
        String gina = id("gina");
        String ch = id("stop");
        GatewayServer g3 = GatewayServer.start(GatewayConfig.fromEnv(dev.parley.schemas.config.Env.of(env.gatewayEnv(
                Map.of("PARLEY_PRESENCE_TIMEOUT", "10m", "PARLEY_PRESENCE_HEARTBEAT", "1s")))));
        RawWsClient ginaPhone = connect(g1, gina, "phone", null);
        request(ginaPhone, Requests.create(ch, true, id("r")));
        request(ginaPhone, Requests.add(ch, frank, id("r")));
        request(ginaPhone, watch("w", frank));
        connect(g3, frank, "phone", null);
        ginaPhone.await(presence(frank, "online"));

        g3.close();

        ginaPhone.await(presence(frank, "offline"));
        assertThat(g1.presence().registry().gateways()).filteredOn(g -> g.gateway().equals(g3.config().gatewayId()))
                .singleElement().satisfies(g -> assertThat(g.stopped()).as("a tombstone, not a timeout").isTrue());
        assertThat(latestPresence()).containsEntry(PresenceKeys.heartbeat(g3.config().gatewayId()), null)
                .containsEntry(PresenceKeys.entry(frank, g3.config().gatewayId()), null);
    }

    @Test
    void aConnectionWatchesAtMostTheConfiguredNumberOfUsers() {
        RawWsClient c = connect(g1, id("nora"), "phone", null);
        c.send(watch("too-many", "u1", "u2", "u3", "u4", "u5", "u6"));
        JsonNode refused = c.reply("requestId", "too-many");
        assertThat(refused.path("type").asText()).isEqualTo("error");
        assertThat(refused.path("code").asText()).isEqualTo("invalid");
        assertThat(refused.path("message").asText()).contains("at most 5");
        assertThat(request(c, watch("five", "u1", "u2", "u3", "u4", "u5")).path("notVisible")).hasSize(5);
    }

    @Test
    void typingAndPresenceNeverReachTheLog() {
        String hal = id("hal");
        String ivy = id("ivy");
        String ch = id("quiet");
        RawWsClient halPhone = connect(g1, hal, "phone", null);
        request(halPhone, Requests.create(ch, false, id("r")));
        RawWsClient ivyPhone = connect(g2, ivy, "phone", List.of(hal));
        request(ivyPhone, Requests.join(ch, id("r")));
        halPhone.send(Map.of("type", "typing", "channel", ch));
        ivyPhone.await(typing(ch, hal));
        halPhone.send(Map.of("type", "set_status", "status", "away"));
        ivyPhone.await(presence(hal, "away"));
        halPhone.send(Requests.send(ch, "m1", "after typing"));
        ivyPhone.await(f -> f.path("kind").asText().equals("message") && f.path("channel").asText().equals(ch));

        List<ConsumerRecord<String, ChannelEvent>> log = readAll(env.names.log(), ChannelEvent.class);
        assertThat(log).filteredOn(r -> r.key().equals(ch)).extracting(r -> r.value().getKind().name())
                .containsExactly("CHANNEL_CREATED", "MEMBER_JOINED", "MESSAGE");
        assertThat(log).allSatisfy(r -> assertThat(r.value().getChannel()).isEqualTo(r.key()));
        assertThat(readAll(env.names.typing(), TypingEvent.class)).filteredOn(r -> r.key().equals(ch))
                .singleElement().satisfies(r -> assertThat(r.value().getActor().getUser()).isEqualTo(hal));
        assertThat(latestPresence()).containsKey(PresenceKeys.entry(hal, g1.config().gatewayId()));
    }

    private Map<String, PresenceRecord> latestPresence() {
        Map<String, PresenceRecord> latest = new HashMap<>();
        readAll(env.names.presence(), PresenceRecord.class).forEach(r -> latest.put(r.key(), r.value()));
        return latest;
    }

    private <T extends org.apache.avro.specific.SpecificRecord> List<ConsumerRecord<String, T>> readAll(String topic, Class<T> type) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, env.kafka.bootstrapServers());
        Deserializer<T> values = ParleyAvroSerde.forValue(type, SerdeConfig.forUrl(env.registry.url().toString())).deserializer();
        try (KafkaConsumer<String, T> consumer = new KafkaConsumer<>(c, new StringDeserializer(), values)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, T>> out = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                return partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
            });
            return out;
        }
    }
}
