package dev.parley.gateway;

import static dev.parley.gateway.support.Requests.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.api.Limits;
import dev.parley.gateway.admission.SendOrder;
import dev.parley.gateway.client.RequestParserPropertiesTest;
import dev.parley.gateway.support.GatewayEnv;
import dev.parley.gateway.support.LaggingStore;
import dev.parley.gateway.support.Requests;
import dev.parley.testkit.RawWsClient;
import dev.parley.testkit.KafkaTestCluster;
import dev.parley.testkit.SharedKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 12 end to end: bad input, abuse and overload against a real gateway, a real topology and a real broker;
 * every case checks the documented answer and that the gateway stays up for everyone else.
 */
@ExtendWith(SharedKafka.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HardeningIT {

    private GatewayEnv env;
    private GatewayServer g;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(KafkaTestCluster kafka) {
        env = new GatewayEnv(kafka, HardeningIT.class);
        g = env.gateway();
    }

    @AfterAll
    void stop() {
        env.close();
    }

    private JsonNode request(RawWsClient c, Map<String, Object> frame) {
        c.send(frame);
        return c.reply("requestId", (String) frame.get("requestId"));
    }

    private HttpResponse<String> post(String path, String user, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(g.httpUrl() + path))
                .header("Authorization", "Bearer " + env.token(user)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Idempotency-Key", key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Failed on main: REST accepted {"text":123} (201) and ignored a threadRoot of "abc"; a long title got through both. */
    @Test
    void restAndWebSocketAnswerTheSameBadInputWithTheSameInvalid() throws Exception {
        String ch = id("parity");
        RawWsClient owner = env.connect(g, "pat", "phone", null);
        assertThat(request(owner, Requests.create(ch, false, id("r"))).path("type").asText()).isEqualTo("ok");
        String longTitle = "t".repeat(100_000);
        List<String> badSends = List.of("{\"text\":123}", "{\"text\":\"x\",\"threadRoot\":\"abc\"}",
                "{\"text\":\"x\",\"threadRoot\":1.5}", "{\"text\":\"  \"}", "{\"text\":\"a\\ud800\"}");
        for (String body : badSends) {
            String key = id("bad");
            HttpResponse<String> rest = post("/api/v1/channels/" + ch + "/messages", "pat", key, body);
            assertThat(rest.statusCode()).as(body).isEqualTo(400);
            JsonNode restError = RawWsClient.JSON.readTree(rest.body());
            assertThat(restError.path("error").asText()).isEqualTo("invalid");

            // the same body as a frame, as raw text: a JSON escape of a lone surrogate must reach the server as is
            owner.sendRaw("{\"type\":\"send\",\"channel\":\"" + ch + "\",\"clientMsgId\":\"" + key + "\"," + body.substring(1));
            JsonNode wsError = owner.reply("clientMsgId", key);
            assertThat(wsError.path("code").asText()).as(body).isEqualTo("invalid");
            assertThat(wsError.path("message").asText()).isEqualTo(restError.path("message").asText());
        }
        HttpResponse<String> restTitle = post("/api/v1/channels", "pat", null,
                "{\"channel\":\"" + id("titled") + "\",\"title\":\"" + longTitle + "\"}");
        assertThat(restTitle.statusCode()).isEqualTo(400);
        assertThat(restTitle.body()).contains("invalid", "250").doesNotContain("max.request.size");
        String r = id("r");
        owner.send(Map.of("type", "create_channel", "channel", id("titled"), "title", longTitle, "requestId", r));
        assertThat(owner.reply("requestId", r).path("code").asText()).isEqualTo("invalid");
        // Nothing of it reached the log: the channel has only its creation.
        JsonNode page = RawWsClient.JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(g.httpUrl() + "/api/v1/channels/" + ch + "/events"))
                .header("Authorization", "Bearer " + env.token("pat")).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(page.path("head").asLong()).isEqualTo(1);
    }

    private static long count(RawWsClient c, String type, String code) {
        return c.frames().stream().filter(f -> f.path("type").asText().equals(type)
                && (code == null || f.path("code").asText().equals(code))).count();
    }

    /**
     * Failed on main (no limits: one connection pipelined 430k sends, everyone in the partition waited seconds).
     * A flooder pipelines 3,000 sends on one connection while another user sends in the same channel: every one
     * of the victim's sends is acked, every flood frame is answered (acked or rate_limited with retryAfterMs,
     * none times out), and the gateway never has more commands in flight than its bounds.
     */
    @Test
    void aFloodingConnectionIsRateLimitedAndAnotherUsersSendsAreAllAcked() throws Exception {
        GatewayServer limited = env.gateway(Map.of("PARLEY_RATE_USER_SENDS", "10,50", "PARLEY_RATE_CONNECTION_SENDS", "10,50",
                "PARLEY_MAX_INFLIGHT_PER_CONNECTION", "16", "PARLEY_SHED_AFTER", "60s"));
        String ch = id("flooded");
        RawWsClient victim = env.connect(limited, "vic", "phone", null);
        request(victim, Requests.create(ch, false, id("r")));
        RawWsClient flooder = env.connect(limited, "flo", "bot", null);
        request(flooder, Requests.join(ch, id("r")));
        AtomicInteger maxInFlight = new AtomicInteger();
        AtomicBoolean flooding = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (flooding.get()) {
                maxInFlight.accumulateAndGet(limited.admission().inFlight(), Math::max);
                Thread.onSpinWait();
            }
        });
        sampler.start();
        int floodSize = 3000;
        CountDownLatch halfway = new CountDownLatch(1);
        Thread flood = new Thread(() -> {
            for (int i = 0; i < floodSize; i++) {
                flooder.sendRaw("{\"type\":\"send\",\"channel\":\"" + ch + "\",\"clientMsgId\":\"f-" + i + "\",\"text\":\"flood " + i + "\"}");
                if (i == floodSize / 2) {
                    halfway.countDown();
                }
            }
        });
        flood.start();
        halfway.await();
        List<JsonNode> victimAcks = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String key = id("v");
            victim.send(Requests.send(ch, key, "still here " + i));
            victimAcks.add(victim.reply("clientMsgId", key));
        }
        flood.join();
        await().atMost(Duration.ofSeconds(60)).until(() -> count(flooder, "ack", null) + count(flooder, "error", null) >= floodSize);
        flooding.set(false);
        sampler.join();

        assertThat(victimAcks).allSatisfy(a -> assertThat(a.path("type").asText()).as(a.toString()).isEqualTo("ack"));
        long acked = count(flooder, "ack", null);
        long rateLimited = count(flooder, "error", "rate_limited");
        assertThat(acked + rateLimited).isEqualTo(floodSize);
        assertThat(count(flooder, "error", "timeout")).isZero();
        assertThat(acked).isGreaterThanOrEqualTo(50).isLessThan(floodSize / 2);
        assertThat(flooder.frames()).filteredOn(f -> f.path("code").asText().equals("rate_limited"))
                .allSatisfy(f -> assertThat(f.path("retryAfterMs").asLong()).isPositive());
        // the flooder's frames in the gateway never exceed its connection's bound (16), plus the victim's one send
        assertThat(maxInFlight.get()).isLessThanOrEqualTo(16 + 1);
        assertThat(limited.admission().inFlight()).isZero();
        // its refused sends hold its later ones to the channel (in order) until SendOrder.GRACE past retryAfterMs:
        // the flooder's connection is usable again once it slows down
        await().atMost(SendOrder.GRACE.plusSeconds(30)).until(() -> {
            String key = id("later");
            flooder.send(Requests.send(ch, key, "one more"));
            return flooder.reply("clientMsgId", key).path("type").asText().equals("ack");
        });
    }

    /**
     * Seen in the SDK's gateway-kill test: a send refused in the middle of a pipelined burst was re-sent after the
     * sends queued behind it had committed, so the user's first message landed last. A connection's sends to a
     * channel are now admitted in order: the ones behind a refused send are refused too (same code, naming it)
     * until it comes again, and re-sent oldest first they land in the order sent.
     */
    @Test
    void aSendRefusedMidBurstHoldsBackTheSendsBehindItSoTheyLandInTheOrderSent() {
        GatewayServer strict = env.gateway(Map.of("PARLEY_RATE_CONNECTION_SENDS", "1,1", "PARLEY_RATE_USER_SENDS", "off"));
        String ch = id("ordered");
        RawWsClient c = env.connect(strict, "ord", "phone", null);
        request(c, Requests.create(ch, false, id("r")));
        for (String key : List.of("o-a", "o-b", "o-c")) {
            c.sendRaw("{\"type\":\"send\",\"channel\":\"" + ch + "\",\"clientMsgId\":\"" + key + "\",\"text\":\"" + key + "\"}");
        }
        assertThat(c.reply("clientMsgId", "o-a").path("type").asText()).isEqualTo("ack");
        JsonNode refused = c.reply("clientMsgId", "o-b");
        assertThat(refused.path("code").asText()).isEqualTo("rate_limited");
        JsonNode heldBack = c.reply("clientMsgId", "o-c");
        assertThat(heldBack.path("code").asText()).isEqualTo("rate_limited");
        assertThat(heldBack.path("message").asText()).as("held back by o-b, not by the bucket").contains("o-b");
        assertThat(heldBack.path("retryAfterMs").asLong()).isPositive();
        // another channel of the same connection is not held back by o-b
        String other = id("other");
        request(c, Requests.create(other, false, id("r")));
        long b = sendUntilAcked(c, ch, "o-b").path("seq").asLong();
        long cc = sendUntilAcked(c, ch, "o-c").path("seq").asLong();
        long a = c.reply("clientMsgId", "o-a").path("seq").asLong();
        assertThat(List.of(a, b, cc)).as("seqs of o-a, o-b, o-c").isSorted().doesNotHaveDuplicates();
        await().atMost(Duration.ofSeconds(60)).until(() -> messageKeys(c, ch).size() >= 3);
        assertThat(messageKeys(c, ch)).as("the live events, in order").containsExactly("o-a", "o-b", "o-c");
        assertThat(sendUntilAcked(c, other, "o-other").path("type").asText()).isEqualTo("ack");
    }

    /** Sends {@code key} (again) until it is acked, as a client honouring retryAfterMs does; the ack. */
    private static JsonNode sendUntilAcked(RawWsClient c, String channel, String key) {
        JsonNode[] ack = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
            long before = replies(c, key).size();
            c.sendRaw("{\"type\":\"send\",\"channel\":\"" + channel + "\",\"clientMsgId\":\"" + key + "\",\"text\":\"" + key + "\"}");
            await().atMost(Duration.ofSeconds(30)).until(() -> replies(c, key).size() > before);
            List<JsonNode> all = replies(c, key);
            ack[0] = all.get(all.size() - 1);
            return ack[0].path("type").asText().equals("ack");
        });
        return ack[0];
    }

    private static List<String> messageKeys(RawWsClient c, String channel) {
        return c.events(channel).stream().filter(e -> e.path("kind").asText().equals("message"))
                .map(e -> e.path("clientMsgId").asText()).toList();
    }

    private static List<JsonNode> replies(RawWsClient c, String key) {
        return c.frames().stream().filter(f -> !f.path("type").asText().equals("event") && f.path("clientMsgId").asText().equals(key)).toList();
    }

    /**
     * Issue 13's presence storm (W7): W1's p99 rose 4.7x during a reconnect storm even without presence. Every
     * {@code hello} blocked a gateway worker on the topology's channel list, and sends of connected clients queued
     * behind them on the same 16 workers. Hellos (and catch-ups) now have their own lane: with the topology's
     * channel list stalled and 40 hellos waiting on it, a connected client's send is still acked.
     */
    @Test
    void aHelloStormOnAStalledTopologyDoesNotHoldUpTheSendsOfConnectedClients() {
        LaggingStore[] store = new LaggingStore[1];
        GatewayServer stalled = env.gateway(Map.of(), real -> store[0] = new LaggingStore(real));
        String ch = id("busy");
        RawWsClient alice = env.connect(stalled, "calm", "phone", null);
        request(alice, Requests.create(ch, false, id("r")));
        java.util.concurrent.CountDownLatch release = store[0].stallChannelsOf();
        List<RawWsClient> storm = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                RawWsClient c = env.track(RawWsClient.connect(stalled.wsUrl()));
                c.send(Map.of("type", "hello", "token", env.token("storm-" + i), "device", "d"));
                storm.add(c);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> store[0].stalled() >= 4);
            alice.send(Requests.send(ch, "calm-1", "still sending"));
            JsonNode ack = alice.reply("clientMsgId", "calm-1");
            assertThat(ack.path("type").asText()).isEqualTo("ack");
            assertThat(store[0].stalled()).as("the storm is still waiting on the topology").isPositive();
        } finally {
            release.countDown();
        }
        // released, the storm is welcomed (or, having waited past the hello timeout, told so): none is left hanging
        for (RawWsClient c : storm) {
            JsonNode first = c.await(f -> f.path("type").asText().equals("welcome") || f.path("type").asText().equals("error"));
            assertThat(first.path("type").asText()).as(first.toString()).isEqualTo("welcome");
        }
    }

    /**
     * Failed on main (frames queued without bound: 75 MB from one connection in 0.4 s). With no rate limit, a
     * connection that pipelines 1,500 sends never has more than PARLEY_MAX_INFLIGHT_PER_CONNECTION of them in
     * the gateway at once (Jetty stops reading it), and every one is acked.
     */
    @Test
    void aPipeliningConnectionIsReadNoFasterThanItsCommandsComplete() throws Exception {
        GatewayServer gated = env.gateway(Map.of("PARLEY_MAX_INFLIGHT_PER_CONNECTION", "8"));
        String ch = id("piped");
        RawWsClient c = env.connect(gated, "pip", "phone", null);
        request(c, Requests.create(ch, false, id("r")));
        AtomicInteger maxInFlight = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                maxInFlight.accumulateAndGet(gated.admission().inFlight(), Math::max);
                Thread.onSpinWait();
            }
        });
        sampler.start();
        int n = 1500;
        for (int i = 0; i < n; i++) {
            c.sendRaw("{\"type\":\"send\",\"channel\":\"" + ch + "\",\"clientMsgId\":\"p-" + i + "\",\"text\":\"p " + i + "\"}");
        }
        await().atMost(Duration.ofSeconds(120)).until(() -> count(c, "ack", null) == n);
        running.set(false);
        sampler.join();
        assertThat(count(c, "error", null)).isZero();
        assertThat(maxInFlight.get()).isBetween(1, 8);
    }

    /** When results run behind (here: any pending command older than 1 ms), new commands are shed with overloaded. */
    @Test
    void commandsAreShedWithOverloadedWhenResultsRunBehind() {
        GatewayServer shedding = env.gateway(Map.of("PARLEY_SHED_AFTER", "1ms"));
        String ch = id("shed");
        RawWsClient c = env.connect(shedding, "shed", "phone", null);
        await().atMost(Duration.ofSeconds(30)).until(() -> request(c, Requests.create(ch, false, id("r"))).path("type").asText().equals("ok"));
        int n = 600;
        for (int i = 0; i < n; i++) {
            c.sendRaw("{\"type\":\"send\",\"channel\":\"" + ch + "\",\"clientMsgId\":\"s-" + i + "\",\"text\":\"s " + i + "\"}");
        }
        await().atMost(Duration.ofSeconds(120)).until(() -> c.frames().stream().filter(f -> !f.path("type").asText().equals("event")
                && f.path("clientMsgId").asText().startsWith("s-")).count() == n);
        long overloaded = count(c, "error", "overloaded");
        assertThat(overloaded).isPositive();
        assertThat(count(c, "ack", null) + overloaded).isEqualTo(n);
        // the first refusal asks for 1–5 s; the sends behind it are held back by it (SendOrder) for what is left of that
        assertThat(c.frames()).filteredOn(f -> f.path("code").asText().equals("overloaded"))
                .filteredOn(f -> !f.path("message").asText().contains("taken in order"))
                .isNotEmpty().allSatisfy(f -> assertThat(f.path("retryAfterMs").asLong()).isBetween(1000L, 5000L));
        assertThat(c.frames()).filteredOn(f -> f.path("code").asText().equals("overloaded"))
                .allSatisfy(f -> assertThat(f.path("retryAfterMs").asLong()).isBetween(1L, 5000L));
    }

    /** Failed on main: binary frames were ignored silently (and never completed, stalling nothing but saying nothing). */
    @Test
    void binaryFramesGetBadFrameAndTheConnectionStaysUsable() {
        RawWsClient c = env.connect(g, "bin", "phone", null);
        c.sendBinary(new byte[] {1, 2, 3});
        assertThat(c.await(f -> f.path("type").asText().equals("error")).path("code").asText()).isEqualTo("bad_frame");
        c.send(Map.of("type", "ping"));
        c.awaitType("pong", null, null);
        assertThat(c.isClosed()).isFalse();
    }

    /** Failed on main: a resume beyond the head got caught_up at that seq, and the channel then stayed silent. */
    @Test
    void aResumeBeyondTheHeadIsToldSoAndFollowsTheRealHead() {
        String ch = id("ahead");
        RawWsClient owner = env.connect(g, "ahe", "phone", null);
        request(owner, Requests.create(ch, false, id("r")));
        RawWsClient back = env.connect(g, "ahe", "tablet", Map.of(ch, 1000L));
        JsonNode warning = back.await(f -> f.path("code").asText().equals("resume_ahead"));
        assertThat(warning.path("channel").asText()).isEqualTo(ch);
        assertThat(warning.path("head").asLong()).isEqualTo(1);
        assertThat(back.awaitType("caught_up", "channel", ch).path("seq").asLong()).isEqualTo(1);
        String key = id("m");
        owner.send(Requests.send(ch, key, "after the bad resume"));
        assertThat(back.awaitEvents(ch, 1).get(0).path("seq").asLong()).isEqualTo(2);
    }

    /** Failed on main: "resume":{"c":1.5} was accepted, and a resume map had no size limit. */
    @Test
    void malformedOrHugeResumeMapsAreInvalid() {
        RawWsClient fraction = env.track(RawWsClient.connect(g.wsUrl()));
        assertThat(fraction.hello(env.token("res"), "d", null).path("type").asText()).isEqualTo("welcome");
        RawWsClient c = env.track(RawWsClient.connect(g.wsUrl()));
        c.sendRaw("{\"type\":\"hello\",\"token\":\"" + env.token("res") + "\",\"device\":\"d\",\"resume\":{\"c\":1.5}}");
        assertThat(c.await(f -> f.path("type").asText().equals("error")).path("code").asText()).isEqualTo("invalid");
        StringBuilder huge = new StringBuilder("{\"type\":\"hello\",\"token\":\"" + env.token("res") + "\",\"device\":\"d\",\"resume\":{");
        for (int i = 0; i < 1001; i++) {
            huge.append(i == 0 ? "" : ",").append("\"c").append(i).append("\":1");
        }
        RawWsClient h = env.track(RawWsClient.connect(g.wsUrl()));
        h.sendRaw(huge.append("}}").toString());
        JsonNode refused = h.await(f -> f.path("type").asText().equals("error"));
        assertThat(refused.path("code").asText()).isEqualTo("invalid");
        assertThat(refused.path("message").asText()).contains("1000");
        assertThat(h.frames()).hasSize(1);
    }

    /** Failed on main: a welcome listed every channel (five 250k titles made it 1.25 MB). */
    @Test
    void theWelcomeListsAFewHundredChannelsAndTheRestArePaged() {
        GatewayServer paging = env.gateway(Map.of("PARLEY_WELCOME_CHANNELS", "3"));
        RawWsClient owner = env.connect(paging, "pag", "phone", null);
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String ch = "pg-" + id("c");
            mine.add(ch);
            request(owner, Requests.create(ch, false, id("r")));
        }
        mine.sort(null);
        RawWsClient c = env.track(RawWsClient.connect(paging.wsUrl()));
        JsonNode welcome = c.hello(env.token("pag"), "tablet", null);
        assertThat(welcome.path("channels")).extracting(n -> n.path("channel").asText()).containsExactlyElementsOf(mine.subList(0, 3));
        assertThat(welcome.path("more").asBoolean()).isTrue();
        assertThat(welcome.path("next").asText()).isEqualTo(mine.get(2));
        c.send(Map.of("type", "channels", "after", welcome.path("next").asText(), "requestId", "p2"));
        JsonNode page = c.reply("requestId", "p2");
        assertThat(page.path("channels")).extracting(n -> n.path("channel").asText()).containsExactlyElementsOf(mine.subList(3, 5));
        assertThat(page.path("more").asBoolean()).isFalse();
        // every channel is live, listed or not
        owner.send(Requests.send(mine.get(4), id("m"), "to the last one"));
        assertThat(c.awaitEvents(mine.get(4), 1)).hasSize(1);
    }

    /** Failed on main: a 19 MB POST got 201; chunked bodies were read whole. */
    @Test
    void restBodiesAreBoundedWhetherTheyDeclareTheirLengthOrNot() throws Exception {
        GatewayServer small = env.gateway(Map.of("PARLEY_MAX_BODY_BYTES", "1000"));
        String ch = id("bodies");
        RawWsClient owner = env.connect(small, "bod", "phone", null);
        request(owner, Requests.create(ch, false, id("r")));
        String big = "{\"text\":\"" + "x".repeat(2000) + "\"}";
        HttpResponse<String> declared = http.send(HttpRequest.newBuilder(URI.create(small.httpUrl() + "/api/v1/channels/" + ch + "/messages"))
                .header("Authorization", "Bearer " + env.token("bod")).header("Idempotency-Key", "b1")
                .POST(HttpRequest.BodyPublishers.ofString(big)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(declared.body()).contains("too_large");
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(URI.create(small.httpUrl() + "/api/v1/channels/" + ch + "/messages"))
                .header("Authorization", "Bearer " + env.token("bod")).header("Idempotency-Key", "b2")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(chunked.headers().firstValue("Connection")).as("the unread body ends the connection").hasValue("close");
        HttpResponse<String> fine = http.send(HttpRequest.newBuilder(URI.create(small.httpUrl() + "/api/v1/channels/" + ch + "/messages"))
                .header("Authorization", "Bearer " + env.token("bod")).header("Idempotency-Key", "b3")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"small\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(fine.statusCode()).isEqualTo(201);
        assertThat(fine.headers().firstValue("Server")).isEmpty();
    }

    /** REST shares the users' buckets: over the rate, 429 with Retry-After and retryAfterMs. */
    @Test
    void restCallsOverTheRateGet429WithRetryAfter() throws Exception {
        GatewayServer strict = env.gateway(Map.of("PARLEY_RATE_USER_SENDS", "1,3"));
        String ch = id("rest-rate");
        RawWsClient owner = env.connect(strict, "rra", "phone", null);
        request(owner, Requests.create(ch, false, id("r")));
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            answers.add(http.send(HttpRequest.newBuilder(URI.create(strict.httpUrl() + "/api/v1/channels/" + ch + "/messages"))
                    .header("Authorization", "Bearer " + env.token("rra")).header("Idempotency-Key", id("k"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"hi\"}")).build(), HttpResponse.BodyHandlers.ofString()));
        }
        List<HttpResponse<String>> limited = answers.stream().filter(r -> r.statusCode() == 429).toList();
        assertThat(limited).isNotEmpty();
        assertThat(answers).allSatisfy(r -> assertThat(r.statusCode()).isIn(201, 429));
        assertThat(limited).allSatisfy(r -> {
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
            assertThat(RawWsClient.JSON.readTree(r.body()).path("retryAfterMs").asLong()).isPositive();
            assertThat(r.body()).contains("rate_limited");
        });
    }

    /** Failed on main: a client trickling a header line every few seconds held its connection open indefinitely. */
    @Test
    void aConnectionTricklingItsRequestHeadIsClosed() throws Exception {
        GatewayServer strict = env.gateway(Map.of("PARLEY_HTTP_HEADER_TIMEOUT", "1s"));
        try (Socket s = new Socket("127.0.0.1", strict.port())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            int linesSent = 0;
            boolean closed = false;
            for (; linesSent < 60 && !closed; linesSent++) {
                Thread.sleep(250); // the attack's pace, not a synchronisation
                try {
                    out.write(("X-Slow-" + linesSent + ": y\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException e) {
                    closed = true;
                }
                if (!closed && s.getInputStream().available() == 0) {
                    closed = isClosed(s);
                }
            }
            assertThat(closed).as("closed after " + linesSent + " lines").isTrue();
            assertThat(linesSent).isLessThan(60);
        }
        HttpResponse<String> normal = http.send(HttpRequest.newBuilder(URI.create(strict.httpUrl() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(normal.statusCode()).isEqualTo(200);
        assertThat(normal.headers().firstValue("Server")).isEmpty();
    }

    private static boolean isClosed(Socket s) throws IOException {
        s.setSoTimeout(1);
        try {
            return s.getInputStream().read() == -1;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        } finally {
            s.setSoTimeout(30_000);
        }
    }

    /** Failed on main: no per-address cap. The fourth connection from one address is closed; after one leaves, one more fits. */
    @Test
    void connectionsPerAddressAreCapped() {
        GatewayServer capped = env.gateway(Map.of("PARLEY_MAX_CONNECTIONS_PER_IP", "3"));
        List<RawWsClient> three = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            three.add(env.connect(capped, "cap", "d" + i, null));
        }
        boolean refused;
        try {
            RawWsClient fourth = env.track(RawWsClient.connect(capped.wsUrl()));
            refused = fourth.awaitClose() != 0;
        } catch (RuntimeException e) {
            refused = true;
        }
        assertThat(refused).isTrue();
        three.get(0).close();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try {
                return env.connect(capped, "cap", "again", null) != null;
            } catch (RuntimeException | AssertionError e) {
                return false;
            }
        });
    }

    /** Failed on main: without PARLEY_JWT_SECRET the gateway verified tokens with the public dev secret. */
    @Test
    void outsideDevModeTheGatewayRefusesToStartWithAPublishedOrMissingSecret() {
        assertThatThrownBy(() -> env.gateway(Map.of("PARLEY_DEV_MODE", "false")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("PARLEY_JWT_SECRET");
        assertThatThrownBy(() -> env.gateway(Map.of("PARLEY_DEV_MODE", "false", "PARLEY_JWT_SECRET", GatewayConfig.DEV_SECRET)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("published");
        assertThatThrownBy(() -> env.gateway(Map.of("PARLEY_DEV_MODE", "false",
                "PARLEY_JWT_SECRET", "change-me-to-a-long-random-string-of-32-bytes-or-more")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("published");
    }

    /** Failed on main: both gauges read NaN once their suppliers were collected. */
    @Test
    void theLagAndPendingGaugesAreNumbersInTheScrape() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        String scrape = g.metrics().scrape();
        assertThat(GatewayMetricsTest.value(scrape, "parley_gateway_log_lag")).isNotNaN().isGreaterThanOrEqualTo(0);
        assertThat(GatewayMetricsTest.value(scrape, "parley_gateway_pending_commands")).isNotNaN().isGreaterThanOrEqualTo(0);
    }

    /** Before hello a connection is read one frame at a time; each gets not_authenticated, and hello still works. */
    @Test
    void framesBeforeHelloAreReadOneAtATimeAndRefused() {
        RawWsClient c = env.track(RawWsClient.connect(g.wsUrl()));
        for (int i = 0; i < 200; i++) {
            c.sendRaw("{\"type\":\"send\",\"channel\":\"x\",\"clientMsgId\":\"k" + i + "\",\"text\":\"x\"}");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> count(c, "error", "not_authenticated") == 200);
        c.send(Map.of("type", "hello", "token", env.token("pre"), "device", "d"));
        assertThat(c.awaitType("welcome", null, null).path("user").asText()).isEqualTo("pre");
    }

    /** Every error code of docs/protocol.md; internal_error is left out on purpose: random input must never cause one. */
    private static final Set<String> DOCUMENTED_CODES = Set.of("bad_frame", "unknown_type", "invalid", "frame_too_large",
            "not_authenticated", "already_authenticated", "unauthorized", "hello_timeout", "token_expired", "unknown_channel",
            "not_a_member", "channel_exists", "not_allowed", "unknown_message", "message_deleted", "timeout", "unavailable",
            "rate_limited", "overloaded", "resume_ahead", "too_large", "not_found", "method_not_allowed");

    /**
     * The standing guard at the handlers: random and mutated frames (jqwik's generators) on a real connection
     * never close it (no 1011), and every error they get has a documented code; the same bodies over REST get
     * documented statuses and codes, never a 500.
     */
    @Test
    void randomAndMutatedInputGetsDocumentedAnswersAndNeverBreaksTheConnection() throws Exception {
        String ch = id("fuzz");
        RawWsClient c = env.connect(g, "fuz", "phone", null);
        request(c, Requests.create(ch, false, id("r")));
        RequestParserPropertiesTest generators = new RequestParserPropertiesTest();
        List<String> inputs = new ArrayList<>();
        generators.mutatedFrames().sampleStream().filter(Limits::isWellFormed).limit(400).forEach(inputs::add);
        generators.texts().sampleStream().filter(Limits::isWellFormed).limit(200).forEach(inputs::add);
        for (String frame : inputs) {
            c.sendRaw(frame);
        }
        c.send(Map.of("type", "ping"));
        c.awaitType("pong", null, null);
        assertThat(c.isClosed()).isFalse();
        assertThat(c.frames()).filteredOn(f -> f.path("type").asText().equals("error"))
                .allSatisfy(f -> assertThat(DOCUMENTED_CODES).as(f.toString()).contains(f.path("code").asText()));

        for (String body : inputs.subList(0, 150)) {
            for (String path : List.of("/api/v1/channels/" + ch + "/messages", "/api/v1/channels")) {
                HttpResponse<String> r = post(path, "fuz", id("k"), body);
                assertThat(r.statusCode()).as(body).isIn(200, 201, 400, 403, 404, 409, 410, 413, 429, 503, 504);
                if (r.statusCode() >= 400) {
                    assertThat(DOCUMENTED_CODES).as(r.body()).contains(RawWsClient.JSON.readTree(r.body()).path("error").asText());
                }
            }
        }
        for (String query : List.of("after=-1", "after=x", "limit=0", "limit=1001", "before=1.5", "after=99999999999999999999", "limit=%00")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(g.httpUrl() + "/api/v1/channels/" + ch + "/events?" + query))
                    .header("Authorization", "Bearer " + env.token("fuz")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(query).isEqualTo(400);
            assertThat(r.body()).contains("invalid");
        }
    }
}
