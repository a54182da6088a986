package dev.parley.gateway;

import static dev.parley.gateway.support.Requests.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.gateway.support.GatewayEnv;
import dev.parley.gateway.support.LaggingStore;
import dev.parley.gateway.support.Requests;
import dev.parley.testkit.RawWsClient;
import dev.parley.gateway.web.ChatPage;
import dev.parley.schemas.config.Env;
import dev.parley.testkit.KafkaTestCluster;
import dev.parley.testkit.SharedKafka;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gateway end to end: real broker, real registry, real topology, two real gateways on real sockets,
 * real WebSocket clients (the JDK's).
 */
@ExtendWith(SharedKafka.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayIT {

    private GatewayEnv env;
    private GatewayServer g1;
    private GatewayServer g2;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(KafkaTestCluster kafka) {
        env = new GatewayEnv(kafka, GatewayIT.class);
        g1 = env.gateway();
        g2 = env.gateway();
    }

    @AfterAll
    void stop() {
        env.close();
    }

    private RawWsClient connect(GatewayServer g, String user, String device, Map<String, Long> resume) {
        return env.connect(g, user, device, resume);
    }

    private static JsonNode send(RawWsClient c, String channel, String clientMsgId, String text) {
        c.send(Requests.send(channel, clientMsgId, text));
        return c.reply("clientMsgId", clientMsgId);
    }

    private String channel(String base) {
        return id(base);
    }

    @Test
    void aSendIsAckedOnceAndEveryDeviceOfEveryMemberGetsItOnceInOrderAcrossTwoGateways() {
        String ch = channel("team");
        RawWsClient alicePhone = connect(g1, "alice", "phone", null);
        RawWsClient aliceLaptop = connect(g2, "alice", "laptop", null);
        RawWsClient bobPhone = connect(g1, "bob", "phone", null);
        RawWsClient bobLaptop = connect(g2, "bob", "laptop", null);

        JsonNode created = alicePhone.request(Requests.create(ch, false, id("r")));
        assertThat(created.path("type").asText()).isEqualTo("ok");
        assertThat(created.path("seq").asLong()).isEqualTo(1);
        JsonNode joined = bobLaptop.request(Requests.join(ch, id("r")));
        assertThat(joined.path("seq").asLong()).isEqualTo(2);
        // Both of bob's devices follow the channel from the join on; both of alice's from its creation.
        for (RawWsClient c : List.of(alicePhone, aliceLaptop, bobPhone, bobLaptop)) {
            c.await(f -> f.path("kind").asText().equals("member_joined") && f.path("channel").asText().equals(ch));
        }

        JsonNode ack = send(alicePhone, ch, "m1", "hello team");
        assertThat(ack.path("type").asText()).isEqualTo("ack");
        assertThat(ack.path("seq").asLong()).isEqualTo(3);
        assertThat(ack.path("messageId").asText()).hasSize(26);
        assertThat(ack.has("duplicate")).isFalse();

        for (RawWsClient c : List.of(alicePhone, aliceLaptop, bobPhone, bobLaptop)) {
            JsonNode event = c.await(f -> f.path("kind").asText().equals("message") && f.path("channel").asText().equals(ch));
            assertThat(event.path("seq").asLong()).isEqualTo(3);
            assertThat(event.path("text").asText()).isEqualTo("hello team");
            assertThat(event.path("user").asText()).isEqualTo("alice");
            assertThat(event.path("clientMsgId").asText()).isEqualTo("m1");
            assertThat(event.path("messageId").asText()).isEqualTo(ack.path("messageId").asText());
            assertThat(event.path("ts").asLong()).isPositive();
        }
        send(bobPhone, ch, "m2", "hi alice");
        for (RawWsClient c : List.of(alicePhone, aliceLaptop)) {
            c.awaitEvents(ch, 4);
            assertThat(c.seqs(ch)).containsExactly(1L, 2L, 3L, 4L);
        }
        for (RawWsClient c : List.of(bobPhone, bobLaptop)) {
            c.awaitEvents(ch, 3);
            assertThat(c.seqs(ch)).containsExactly(2L, 3L, 4L);
        }
        assertThat(alicePhone.frames().stream().filter(f -> f.path("type").asText().equals("ack"))).hasSize(1);
    }

    @Test
    void retriesOfAClientMsgIdOnAnyDeviceAreAckedWithTheOriginalSeqAndWriteOneEvent() {
        String ch = channel("retry");
        RawWsClient phone = connect(g1, "dave", "phone", null);
        RawWsClient laptop = connect(g2, "dave", "laptop", null);
        phone.request(Requests.create(ch, false, id("r")));

        JsonNode first = send(phone, ch, "same-key", "only once");
        phone.send(Requests.send(ch, "same-key", "only once"));
        laptop.send(Requests.send(ch, "same-key", "only once"));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                phone.frames().stream().filter(f -> f.path("type").asText().equals("ack")).count() == 2
                        && laptop.frames().stream().anyMatch(f -> f.path("type").asText().equals("ack")));
        List<JsonNode> acks = new ArrayList<>(phone.frames().stream().filter(f -> f.path("type").asText().equals("ack")).toList());
        acks.addAll(laptop.frames().stream().filter(f -> f.path("type").asText().equals("ack")).toList());
        assertThat(acks).hasSize(3).allSatisfy(a -> {
            assertThat(a.path("seq").asLong()).isEqualTo(first.path("seq").asLong());
            assertThat(a.path("messageId").asText()).isEqualTo(first.path("messageId").asText());
        });
        assertThat(acks.stream().filter(a -> a.path("duplicate").asBoolean())).hasSize(2);
        send(phone, ch, "after", "next one");
        phone.awaitEvents(ch, 3);
        assertThat(phone.events(ch).stream().filter(e -> e.path("clientMsgId").asText().equals("same-key"))).hasSize(1);
        assertThat(phone.seqs(ch)).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aPrivateChannelNeverReachesANonMember() throws Exception {
        String secret = channel("secret");
        RawWsClient alice = connect(g1, "erin", "phone", null);
        RawWsClient frank = connect(g2, "frank", "phone", null);
        alice.request(Requests.create(secret, true, id("r")));
        send(alice, secret, "s1", "top secret 1");

        // A non-member cannot send, join, resume, page history or use REST.
        assertThat(send(frank, secret, "f1", "let me in").path("code").asText()).isEqualTo("not_a_member");
        assertThat(frank.request(Requests.join(secret, id("r"))).path("code").asText()).isEqualTo("not_allowed");
        RawWsClient frankResuming = RawWsClient.connect(g1.wsUrl());
        env.track(frankResuming);
        frankResuming.hello(env.token("frank"), "tablet", Map.of(secret, 0L));
        assertThat(frankResuming.await(f -> f.path("type").asText().equals("error")).path("code").asText()).isEqualTo("not_a_member");
        // To a non-member a private channel does not exist: the same answer as a missing one (no existence oracle).
        frank.send(Map.of("type", "history", "channel", secret, "before", 10, "requestId", "h1"));
        JsonNode refusedHistory = frank.reply("requestId", "h1");
        assertThat(refusedHistory.path("code").asText()).isEqualTo("unknown_channel");
        String missing = channel("missing");
        frank.send(Map.of("type", "history", "channel", missing, "before", 10, "requestId", "h2"));
        assertThat(frank.reply("requestId", "h2").path("message").asText())
                .isEqualTo(refusedHistory.path("message").asText().replace(secret, missing));
        HttpResponse<String> rest = http.send(HttpRequest.newBuilder(URI.create(g1.httpUrl() + "/api/v1/channels/" + secret + "/events?after=0"))
                .header("Authorization", "Bearer " + env.token("frank")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(rest.statusCode()).isEqualTo(404);
        assertThat(rest.body()).contains("unknown_channel").doesNotContain("private");
        HttpResponse<String> restPost = http.send(HttpRequest.newBuilder(URI.create(g2.httpUrl() + "/api/v1/channels/" + secret + "/messages"))
                .header("Authorization", "Bearer " + env.token("frank")).header("Idempotency-Key", "x1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"hi\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(restPost.statusCode()).isEqualTo(403);

        send(alice, secret, "s2", "top secret 2");
        alice.awaitEvents(secret, 3);
        // Then alice adds frank: from that event on, frank's devices get the channel live.
        JsonNode added = alice.request(Requests.add(secret, "frank", id("r")));
        assertThat(added.path("seq").asLong()).isEqualTo(4);
        send(alice, secret, "s3", "welcome frank");
        frank.awaitEvents(secret, 2);
        frankResuming.awaitEvents(secret, 2);
        for (RawWsClient f : List.of(frank, frankResuming)) {
            assertThat(f.seqs(secret)).containsExactly(4L, 5L);
            assertThat(f.events(secret)).noneMatch(e -> e.path("text").asText().startsWith("top secret"));
        }
    }

    @Test
    void aClientThatMissed500MessagesResumesOnTheOtherGatewayAndGetsExactlyThemThenLive() {
        String ch = channel("busy");
        RawWsClient alice = connect(g1, "gina", "phone", null);
        alice.request(Requests.create(ch, false, id("r")));
        RawWsClient henry = connect(g1, "henry", "phone", null);
        henry.request(Requests.join(ch, id("r")));
        send(alice, ch, "before", "before the drop");
        henry.awaitEvents(ch, 2);
        long lastSeen = henry.seqs(ch).get(henry.seqs(ch).size() - 1);
        henry.abort();

        for (int i = 0; i < 500; i++) {
            alice.send(Requests.send(ch, "missed-" + i, "missed " + i));
        }
        alice.awaitEvents(ch, 503);

        RawWsClient back = connect(g2, "henry", "laptop", Map.of(ch, lastSeen));
        JsonNode caughtUp = back.awaitType("caught_up", "channel", ch);
        assertThat(caughtUp.path("seq").asLong()).isEqualTo(lastSeen + 500);
        send(alice, ch, "after-1", "live again");
        send(alice, ch, "after-2", "still live");
        back.awaitEvents(ch, 502);
        assertThat(back.seqs(ch)).isEqualTo(LongStream.rangeClosed(lastSeen + 1, lastSeen + 502).boxed().toList());
        List<JsonNode> replayed = back.events(ch).subList(0, 500);
        for (int i = 0; i < 500; i++) {
            assertThat(replayed.get(i).path("text").asText()).isEqualTo("missed " + i);
        }
        // caught_up came after the 500th replayed event and before the first live one
        List<JsonNode> frames = back.frames();
        int caughtUpAt = frames.indexOf(caughtUp);
        assertThat(frames.subList(0, caughtUpAt).stream().filter(f -> f.path("channel").asText().equals(ch)
                && f.path("type").asText().equals("event"))).hasSize(500);
    }

    /**
     * Issue 11: a client resumed after a burst that its gateway's tail had already published, while the store
     * trailed the tail; the catch-up ended at the store's head with {@code caught_up}, and the rest only came
     * with the next message. The store lags here through a fault-injecting decorator around the real client.
     */
    @Test
    void aResumeAfterABurstGetsEveryMissedEventBeforeCaughtUpEvenWhileTheStoreTrailsTheTail() {
        LaggingStore[] store = new LaggingStore[1];
        GatewayServer lagging = env.gateway(Map.of(), real -> store[0] = new LaggingStore(real));
        String ch = channel("burst");
        RawWsClient olga = connect(g1, "olga", "phone", null);
        olga.request(Requests.create(ch, false, id("r")));
        RawWsClient paul = connect(lagging, "paul", "phone", null);
        paul.request(Requests.join(ch, id("r")));
        paul.awaitEvents(ch, 1);
        long lastSeen = paul.seqs(ch).get(paul.seqs(ch).size() - 1);
        paul.abort();

        for (int i = 0; i < 300; i++) {
            olga.send(Requests.send(ch, "burst-" + i, "burst " + i));
        }
        olga.awaitEvents(ch, (int) lastSeen + 300);
        long head = lastSeen + 300;
        // The lagging gateway's tail has published all 300; its store view is 20 behind.
        await().atMost(Duration.ofSeconds(30)).until(() -> lagging.tail().eventsSeen() >= head);
        store[0].lag(ch, 20);

        RawWsClient back = connect(lagging, "paul", "laptop", Map.of(ch, lastSeen));
        await().atMost(Duration.ofSeconds(30)).until(() -> store[0].lagging() > 0);
        store[0].release(); // the store catches up; nobody sends anything more
        JsonNode caughtUp = back.awaitType("caught_up", "channel", ch);
        assertThat(caughtUp.path("seq").asLong()).as("caught_up means everything up to the head the gateway knew").isEqualTo(head);
        List<JsonNode> frames = back.frames();
        List<Long> before = frames.subList(0, frames.indexOf(caughtUp)).stream()
                .filter(f -> f.path("type").asText().equals("event") && f.path("channel").asText().equals(ch))
                .map(f -> f.path("seq").asLong()).toList();
        assertThat(before).isEqualTo(LongStream.rangeClosed(lastSeen + 1, head).boxed().toList());
    }

    @Test
    void badInputGetsTheDocumentedErrorAndTheConnectionStaysUsable() {
        RawWsClient c = RawWsClient.connect(g1.wsUrl());
        env.track(c);
        c.sendRaw("{\"type\":\"send\"}");
        assertThat(c.await(f -> f.path("type").asText().equals("error")).path("code").asText()).isEqualTo("not_authenticated");
        c.hello(env.token("ivan"), "phone", null);
        c.send(Map.of("type", "hello", "token", env.token("ivan"), "device", "phone"));
        assertThat(c.await(f -> f.path("type").asText().equals("error")
                && !f.path("code").asText().equals("not_authenticated")).path("code").asText()).isEqualTo("already_authenticated");

        c.sendRaw("{not json");
        c.await(f -> f.path("code").asText().equals("bad_frame"));
        c.sendRaw("[1,2]");
        c.sendRaw("{\"type\":\"teleport\"}");
        c.await(f -> f.path("code").asText().equals("unknown_type"));
        c.send(Map.of("type", "send", "channel", "x", "text", "no key"));
        assertThat(c.await(f -> f.path("code").asText().equals("invalid")).path("message").asText()).contains("clientMsgId");
        c.send(Map.of("type", "send", "channel", "x", "clientMsgId", "k-empty", "text", " "));
        assertThat(c.reply("clientMsgId", "k-empty").path("code").asText()).isEqualTo("invalid");
        c.send(Map.of("type", "send", "channel", "no such channel!", "clientMsgId", "k-bad-channel", "text", "x"));
        assertThat(c.reply("clientMsgId", "k-bad-channel").path("code").asText()).isEqualTo("invalid");
        c.send(Map.of("type", "join", "channel", "x"));
        assertThat(c.await(f -> f.path("message").asText().contains("requestId")).path("code").asText()).isEqualTo("invalid");
        c.sendRaw("{\"type\":\"send\",\"channel\":\"x\",\"clientMsgId\":\"big\",\"text\":\"" + "x".repeat(300_000) + "\"}");
        assertThat(c.await(f -> f.path("code").asText().equals("frame_too_large")).path("message").asText()).contains("262144");
        assertThat(send(c, "nowhere-" + id("c"), "k-unknown", "hello?").path("code").asText()).isEqualTo("unknown_channel");
        c.send(Map.of("type", "ping"));
        c.awaitType("pong", null, null);
        assertThat(c.frames().stream().filter(f -> f.path("code").asText().equals("bad_frame"))).hasSize(2);
        assertThat(c.isClosed()).isFalse();
    }

    @Test
    void badTokensAndSilentClientsAreClosedWithTheDocumentedCodes() {
        RawWsClient forged = RawWsClient.connect(g1.wsUrl());
        env.track(forged);
        JsonNode refused = forged.hello(new dev.parley.gateway.auth.DevTokens("another-secret-that-is-32-bytes-long!!").issue("mallory", Duration.ofHours(1)), "x", null);
        assertThat(refused.path("code").asText()).isEqualTo("unauthorized");
        assertThat(forged.awaitClose()).isEqualTo(4003);

        RawWsClient expired = RawWsClient.connect(g1.wsUrl());
        env.track(expired);
        assertThat(expired.hello(env.tokens.issue("judy", Duration.ofSeconds(-120)), "x", null).path("message").asText()).contains("xpired");
        assertThat(expired.awaitClose()).isEqualTo(4003);

        RawWsClient shortLived = RawWsClient.connect(g1.wsUrl());
        env.track(shortLived);
        assertThat(shortLived.hello(env.tokens.issue("judy", Duration.ofSeconds(2)), "x", null).path("type").asText()).isEqualTo("welcome");
        assertThat(shortLived.await(f -> f.path("type").asText().equals("error")).path("code").asText()).isEqualTo("token_expired");
        assertThat(shortLived.awaitClose()).isEqualTo(4002);

        GatewayServer impatient = env.gateway(Map.of("PARLEY_HELLO_TIMEOUT", "1s"));
        RawWsClient silent = RawWsClient.connect(impatient.wsUrl());
        env.track(silent);
        assertThat(silent.await(f -> f.path("type").asText().equals("error")).path("code").asText()).isEqualTo("hello_timeout");
        assertThat(silent.awaitClose()).isEqualTo(4001);
    }

    @Test
    void aHelloWhileTheReadSideIsDownIsToldUnavailableAndToTryAgainLater() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort(); // closed again: nothing answers there
        }
        GatewayServer orphan = env.gateway(Map.of("PARLEY_TOPOLOGY_URLS", "http://127.0.0.1:" + deadPort));
        RawWsClient c = env.track(RawWsClient.connect(orphan.wsUrl()));
        JsonNode answer = c.hello(env.token("pia"), "phone", null);
        assertThat(answer.path("type").asText()).isEqualTo("error");
        assertThat(answer.path("code").asText()).isEqualTo("unavailable");
        assertThat(c.awaitClose()).isEqualTo(1013);
    }

    @Test
    void aSendThatTimedOutIsRetriedWithTheSameKeyAndGetsTheOriginalSeq() {
        GatewayServer hasty = env.gateway(Map.of("PARLEY_SEND_TIMEOUT", "1ms"));
        String ch = channel("hasty");
        RawWsClient phone = connect(g1, "quinn", "phone", null);
        phone.request(Requests.create(ch, false, id("r")));
        RawWsClient laptop = connect(hasty, "quinn", "laptop", null);
        JsonNode timedOut = send(laptop, ch, "k-hasty", "patience");
        assertThat(timedOut.path("code").asText()).isEqualTo("timeout");
        assertThat(timedOut.path("message").asText()).contains("retry with the same id");
        // The command did commit, later: the retry (here from the other device) gets its seq, and nothing new is written.
        JsonNode committed = phone.await(f -> f.path("type").asText().equals("event") && f.path("clientMsgId").asText().equals("k-hasty"));
        JsonNode retried = send(phone, ch, "k-hasty", "patience");
        assertThat(retried.path("type").asText()).isEqualTo("ack");
        assertThat(retried.path("duplicate").asBoolean()).isTrue();
        assertThat(retried.path("seq").asLong()).isEqualTo(committed.path("seq").asLong());
        JsonNode page = phone.request(Map.of("type", "events", "channel", ch, "after", 0, "requestId", id("r")));
        assertThat(page.path("events")).filteredOn(e -> e.path("clientMsgId").asText().equals("k-hasty")).hasSize(1);
    }

    @Test
    void aClientThatMissedMoreThanMaxCatchUpIsToldBehindAndPagesThenSubscribes() {
        GatewayServer tight = env.gateway(Map.of("PARLEY_MAX_CATCHUP", "5"));
        String ch = channel("backlog");
        RawWsClient writer = connect(g1, "olga", "phone", null);
        writer.request(Requests.create(ch, false, id("r")));
        long head = 0;
        for (int i = 0; i < 8; i++) {
            head = send(writer, ch, id("b"), "backlog " + i).path("seq").asLong();
        }
        long last = head;
        // the read side trails the log: wait until it has the whole backlog, so that the gap is exactly 2..head
        await().atMost(Duration.ofSeconds(60)).until(() -> writer.request(Map.of("type", "events", "channel", ch, "after", 0,
                "requestId", id("r"))).path("head").asLong() == last);

        RawWsClient back = connect(tight, "olga", "laptop", Map.of(ch, 1L));
        JsonNode behind = back.awaitType("behind", "channel", ch);
        assertThat(behind.path("after").asLong()).isEqualTo(1);
        assertThat(behind.path("head").asLong()).isEqualTo(head);
        JsonNode page = back.request(Map.of("type", "events", "channel", ch, "after", 1, "limit", 100, "requestId", id("r")));
        assertThat(page.path("events")).extracting(e -> e.path("seq").asLong())
                .containsExactlyElementsOf(LongStream.rangeClosed(2, head).boxed().toList());
        assertThat(back.events(ch)).as("no event of the channel is delivered after behind until subscribe").isEmpty();
        back.send(Map.of("type", "subscribe", "channel", ch, "after", head));
        assertThat(back.awaitType("caught_up", "channel", ch).path("seq").asLong()).isEqualTo(head);
        long live = send(writer, ch, id("b"), "live again").path("seq").asLong();
        assertThat(back.awaitEvents(ch, 1)).extracting(e -> e.path("seq").asLong()).containsExactly(live);
    }

    @Test
    void aClientThatCannotKeepUpIsToldToResyncInsteadOfGrowingMemory() {
        GatewayServer strict = env.gateway(Map.of("PARLEY_MAX_QUEUED_BYTES", "600000"));
        String ch = channel("firehose");
        RawWsClient talker = connect(g1, "kate", "phone", null);
        talker.request(Requests.create(ch, false, id("r")));
        RawWsClient slow = RawWsClient.connectNotReading(strict.wsUrl());
        env.track(slow);
        slow.send(Map.of("type", "hello", "token", env.token("kate"), "device", "slow-tablet"));
        await().atMost(Duration.ofSeconds(30)).until(() -> strict.hub().subscriptions(ch) == 1);
        String big = "x".repeat(30_000);
        for (int i = 0; i < 400; i++) {
            talker.send(Requests.send(ch, "big-" + i, big));
        }
        await().atMost(Duration.ofSeconds(120)).until(() -> strict.metrics().scrape().contains("parley_gateway_resyncs_total{gateway=\"" + strict.config().gatewayId() + "\"} 1.0"));
        slow.resumeReading();
        assertThat(slow.awaitClose()).isEqualTo(4008);
        assertThat(slow.frames()).last().satisfies(f -> {
            assertThat(f.path("type").asText()).isEqualTo("resync");
            assertThat(f.path("reason").asText()).isEqualTo("slow_consumer");
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(strict.hub().subscriptions(ch)).isZero());
    }

    @Test
    void restSendsAreIdempotentAndRestHistoryPagesAgreeWithTheLiveStream() throws Exception {
        String ch = channel("bots");
        RawWsClient owner = connect(g1, "liam", "phone", null);
        owner.request(Requests.create(ch, false, id("r")));
        String token = env.token("liam");

        HttpResponse<String> first = post(g2, ch, token, "bot-key-1", "{\"text\":\"from a bot\"}");
        HttpResponse<String> retry = post(g1, ch, token, "bot-key-1", "{\"text\":\"from a bot\"}");
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(retry.statusCode()).isEqualTo(200);
        JsonNode a = RawWsClient.JSON.readTree(first.body());
        JsonNode b = RawWsClient.JSON.readTree(retry.body());
        assertThat(b.path("seq").asLong()).isEqualTo(a.path("seq").asLong()).isEqualTo(2);
        assertThat(b.path("messageId").asText()).isEqualTo(a.path("messageId").asText());
        assertThat(b.path("duplicate").asBoolean()).isTrue();
        assertThat(post(g1, ch, token, null, "{\"text\":\"no key\"}").statusCode()).isEqualTo(400);
        assertThat(post(g1, ch, "not-a-token", "k", "{\"text\":\"x\"}").statusCode()).isEqualTo(401);

        for (int i = 0; i < 25; i++) {
            post(g1, ch, token, "bulk-" + i, "{\"text\":\"bulk " + i + "\"}");
        }
        List<JsonNode> live = owner.awaitEvents(ch, 27);
        assertThat(live).hasSize(27);

        List<JsonNode> paged = new ArrayList<>();
        long after = 0;
        while (true) {
            JsonNode page = get(g2, "/api/v1/channels/" + ch + "/events?after=" + after + "&limit=10", token);
            page.path("events").forEach(paged::add);
            if (!page.path("more").asBoolean()) {
                assertThat(page.path("head").asLong()).isEqualTo(27);
                break;
            }
            after = paged.get(paged.size() - 1).path("seq").asLong();
        }
        assertThat(paged).isEqualTo(live);
        JsonNode back = get(g1, "/api/v1/channels/" + ch + "/events?before=27&limit=5", token);
        assertThat(back.path("events")).extracting(e -> e.path("seq").asLong()).containsExactly(22L, 23L, 24L, 25L, 26L);
        assertThat(back.path("more").asBoolean()).isTrue();
        JsonNode mine = get(g1, "/api/v1/channels", token);
        assertThat(mine.path("channels")).anySatisfy(c -> {
            assertThat(c.path("channel").asText()).isEqualTo(ch);
            assertThat(c.path("head").asLong()).isEqualTo(27);
        });
    }

    @Test
    void devTokensAreIssuedOnlyInDevMode() throws Exception {
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(g1.httpUrl() + "/api/dev/token"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"mia\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        RawWsClient c = RawWsClient.connect(g1.wsUrl());
        env.track(c);
        assertThat(c.hello(RawWsClient.JSON.readTree(ok.body()).path("token").asText(), "web", null).path("user").asText()).isEqualTo("mia");

        GatewayServer prod = env.gateway(Map.of("PARLEY_DEV_MODE", "false", "PARLEY_JWT_SECRET", "k3Jq9XvT2mLp8WzR5nBc7YdF1hGs4AeU"));
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(prod.httpUrl() + "/api/dev/token"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"mia\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(404);
    }

    /**
     * The chat page (and the SDK it runs on) behind the REST routes, as {@code parley start} serves it. Failed after
     * the routes moved to Jetty's path mappings: the page handler asked for its path in a context that had none (500).
     */
    @Test
    void theChatPageAndItsSdkAreServedNextToTheApi() throws Exception {
        try (GatewayServer g = GatewayServer.start(GatewayConfig.fromEnv(Env.of(env.gatewayEnv(Map.of()))), ChatPage.fromClasspath())) {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(g.httpUrl().resolve("/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            assertThat(page.body()).contains("id=\"signin-form\"");
            HttpResponse<String> sdk = http.send(HttpRequest.newBuilder(g.httpUrl().resolve("/sdk/index.js")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(sdk.statusCode()).isEqualTo(200);
            assertThat(sdk.body()).contains("export { ParleyClient }");
            HttpResponse<String> api = http.send(HttpRequest.newBuilder(g.httpUrl().resolve("/api/v1/nothing-here")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(api.statusCode()).isEqualTo(404);
            assertThat(RawWsClient.JSON.readTree(api.body()).path("error").asText()).isEqualTo("not_found");
            assertThat(http.send(HttpRequest.newBuilder(g.httpUrl().resolve("/nope.js")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        }
    }

    private HttpResponse<String> post(GatewayServer g, String ch, String token, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(g.httpUrl() + "/api/v1/channels/" + ch + "/messages"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Idempotency-Key", key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(GatewayServer g, String path, String token) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(g.httpUrl() + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return RawWsClient.JSON.readTree(r.body());
    }
}
