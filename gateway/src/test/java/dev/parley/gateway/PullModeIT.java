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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pull mode end to end: a channel above PARLEY_PULL_MEMBERS (2 here) and a connection whose hello says pull get
 * {@code head} frames instead of events and pull with {@code events after}; {@code set_delivery} switches one channel
 * to push (catch-up from the client's seq, {@code caught_up}) and back. Real broker, topology, gateway and sockets.
 * Also measures what a background channel costs a connection in push and in pull mode (frames and characters).
 */
@ExtendWith(SharedKafka.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PullModeIT {

    private GatewayEnv env;
    private GatewayServer g;

    @BeforeAll
    void start(KafkaTestCluster kafka) {
        env = new GatewayEnv(kafka, PullModeIT.class);
        g = env.gateway(Map.of("PARLEY_PULL_MEMBERS", "2", "PARLEY_PULL_INTERVAL", "300ms"));
    }

    @AfterAll
    void stop() {
        env.close();
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    private static List<JsonNode> of(RawWsClient c, String type, String channel) {
        return c.frames().stream().filter(f -> f.path("type").asText().equals(type) && f.path("channel").asText().equals(channel)).toList();
    }

    /** Pulls with events after until the client has {@code head}: the seqs it got, in order. */
    private static List<Long> pull(RawWsClient c, String channel, long after, long head) {
        List<Long> got = new ArrayList<>();
        long cursor = after;
        while (cursor < head) {
            String rid = id("e");
            JsonNode page = c.request(Map.of("type", "events", "channel", channel, "after", cursor, "requestId", rid));
            for (JsonNode e : page.path("events")) {
                got.add(e.path("seq").asLong());
                cursor = e.path("seq").asLong();
            }
        }
        return got;
    }

    @Test
    void aChannelAboveTheMemberThresholdIsToldItsHeadAndPulledWhileASmallOneIsPushed() {
        String big = id("big");
        String small = id("small");
        RawWsClient alice = env.connect(g, "alice", "phone", null);
        alice.request(Requests.create(big, false, id("r")));
        alice.request(Requests.create(small, false, id("r")));
        RawWsClient bob0 = env.connect(g, "bob", "laptop", null);
        bob0.request(Requests.join(big, id("r")));
        bob0.request(Requests.join(small, id("r")));
        RawWsClient carol = env.connect(g, "carol", "phone", null);
        long joined = carol.request(Requests.join(big, id("r"))).path("seq").asLong(); // big: 3 members
        bob0.close();

        RawWsClient bob = env.connect(g, "bob", "phone", null);
        assertThat(bob.frames().get(0).path("delivery").path("pullMembers").asInt()).isEqualTo(2);
        for (int i = 0; i < 20; i++) {
            alice.send(Requests.send(big, "b" + i, "to everyone " + i));
        }
        long lastSeq = alice.reply("clientMsgId", "b19").path("seq").asLong();
        await().atMost(Duration.ofSeconds(60)).until(() -> of(bob, "head", big).stream().anyMatch(h -> h.path("seq").asLong() == lastSeq));
        List<Long> heads = of(bob, "head", big).stream().map(h -> h.path("seq").asLong()).toList();
        assertThat(heads).as("coalesced, increasing, ending at the last seq").isSortedAccordingTo(Long::compare)
                .doesNotHaveDuplicates().hasSizeLessThanOrEqualTo(20).last().isEqualTo(lastSeq);
        assertThat(bob.deliveredSeqs(big)).as("no events of a channel in pull mode").isEmpty();
        assertThat(pull(bob, big, joined, lastSeq)).isEqualTo(range(joined + 1, lastSeq));

        alice.send(Requests.send(small, "s1", "just us"));
        long smallSeq = alice.reply("clientMsgId", "s1").path("seq").asLong();
        assertThat(bob.awaitDelivered(small, 1)).containsExactly(smallSeq);
        assertThat(of(bob, "head", small)).isEmpty();
        assertThat(g.hub().deliveryOf("bob")).containsExactly(Map.of(big, true, small, false));
    }

    @Test
    void aConnectionInPullModeResumesWithAHeadSwitchesOneChannelToPushAndBackAndCostsLessForABackgroundChannel() {
        String room = id("room");
        RawWsClient alice = env.connect(g, "alice", "tablet", null);
        alice.request(Requests.create(room, false, id("r")));
        RawWsClient erinSetup = env.connect(g, "erin", "setup", null);
        erinSetup.request(Requests.join(room, id("r")));                       // 2 members: pushed by default
        erinSetup.close();
        RawWsClient background = env.connect(g, "erin", "background-tab", null, Map.of("pull", true, "batch", true));
        RawWsClient foreground = env.connect(g, "erin", "open-tab", null);
        assertThat(background.frames().get(0).path("delivery").path("pull").asBoolean()).isTrue();

        int n = 60;
        long lastSeq = 0;
        for (int i = 0; i < n; i++) {
            alice.send(Requests.send(room, "r" + i, "message number " + i + " in a busy room"));
            if (i % 10 == 9) {
                lastSeq = alice.reply("clientMsgId", "r" + i).path("seq").asLong(); // in bursts of 10
            }
        }
        long finalSeq = lastSeq;
        foreground.awaitDelivered(room, n);
        await().atMost(Duration.ofSeconds(60)).until(() -> of(background, "head", room).stream().anyMatch(h -> h.path("seq").asLong() == finalSeq));
        assertThat(background.deliveredSeqs(room)).isEmpty();
        assertThat(foreground.deliveredSeqs(room)).isEqualTo(range(finalSeq - n + 1, finalSeq));
        Map<String, Long> pushed = cost(foreground, room);
        Map<String, Long> pulled = cost(background, room);
        System.out.printf("PULL-MODE COST of a background channel, %d messages in bursts of 10: push %s, pull (heads only) %s%n",
                n, pushed, pulled);
        assertThat(pulled.get("frames")).isLessThan(pushed.get("frames"));

        // The user opens the channel in the background tab after pulling up to 30: push from there.
        background.send(Map.of("type", "set_delivery", "channel", room, "mode", "push", "after", finalSeq - 30));
        JsonNode caughtUp = background.await(f -> f.path("type").asText().equals("caught_up") && f.path("channel").asText().equals(room));
        assertThat(caughtUp.path("seq").asLong()).isEqualTo(finalSeq);
        alice.send(Requests.send(room, "live", "now pushed"));
        long live = alice.reply("clientMsgId", "live").path("seq").asLong();
        assertThat(background.awaitDelivered(room, 31)).isEqualTo(range(finalSeq - 29, live));

        // And back to the background: a head, no event.
        background.send(Map.of("type", "set_delivery", "channel", room, "mode", "pull"));
        await().atMost(Duration.ofSeconds(30)).until(() -> g.hub().deliveryOf("erin").contains(Map.of(room, true)));
        alice.send(Requests.send(room, "later", "while in the background"));
        long later = alice.reply("clientMsgId", "later").path("seq").asLong();
        await().atMost(Duration.ofSeconds(60)).until(() -> of(background, "head", room).stream().anyMatch(h -> h.path("seq").asLong() == later));
        assertThat(background.deliveredSeqs(room)).last().isEqualTo(live);

        // A reconnect in pull mode with resume: the head, no replay, no caught_up.
        background.close();
        RawWsClient again = env.connect(g, "erin", "background-tab", Map.of(room, finalSeq - 5), Map.of("pull", true));
        JsonNode head = again.await(f -> f.path("type").asText().equals("head") && f.path("channel").asText().equals(room));
        assertThat(head.path("seq").asLong()).isEqualTo(later);
        assertThat(again.deliveredSeqs(room)).isEmpty();
        assertThat(of(again, "caught_up", room)).isEmpty();

        again.send(Map.of("type", "set_delivery", "channel", id("nowhere"), "mode", "push"));
        assertThat(again.await(f -> f.path("code").asText().equals("not_a_member")).path("channel").asText()).startsWith("nowhere");
        again.send(Map.of("type", "set_delivery", "channel", room, "mode", "sideways"));
        assertThat(again.await(f -> f.path("code").asText().equals("invalid")).path("message").asText()).contains("mode");
    }

    /** Frames and characters a connection received for one channel (events, batches, heads). */
    private static Map<String, Long> cost(RawWsClient c, String channel) {
        Map<String, Long> out = new HashMap<>();
        long frames = 0;
        long chars = 0;
        for (JsonNode f : c.frames()) {
            String type = f.path("type").asText();
            if (f.path("channel").asText().equals(channel) && (type.equals("event") || type.equals("head")
                    || type.equals("events") && f.path("live").asBoolean())) {
                frames++;
                chars += f.toString().length();
            }
        }
        out.put("frames", frames);
        out.put("chars", chars);
        return out;
    }
}
