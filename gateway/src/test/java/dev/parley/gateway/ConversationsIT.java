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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Edits, deletes, reactions, threads, read cursors and direct messages end to end, on two gateways. */
@ExtendWith(SharedKafka.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConversationsIT {

    private GatewayEnv env;
    private GatewayServer g1;
    private GatewayServer g2;

    @BeforeAll
    void start(KafkaTestCluster kafka) {
        env = new GatewayEnv(kafka, ConversationsIT.class);
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

    private static JsonNode request(RawWsClient c, Map<String, Object> frame) {
        String requestId = id("r");
        Map<String, Object> f = new LinkedHashMap<>(frame);
        f.put("requestId", requestId);
        c.send(f);
        return c.reply("requestId", requestId);
    }

    private static long send(RawWsClient c, String channel, String text) {
        String key = id("m");
        c.send(Requests.send(channel, key, text));
        JsonNode ack = c.reply("clientMsgId", key);
        assertThat(ack.path("type").asText()).as(ack.toString()).isEqualTo("ack");
        return ack.path("seq").asLong();
    }

    private static JsonNode event(RawWsClient c, String channel, long seq) {
        return c.await(f -> f.path("type").asText().equals("event") && f.path("channel").asText().equals(channel)
                && f.path("seq").asLong() == seq);
    }

    @Test
    void editsDeletesAndReactionsReachEveryDeviceLiveAndThroughResumeAndHistoryShowsTheCurrentState() {
        String ch = id("design");
        RawWsClient amyPhone = connect(g1, "amy", "phone", null);
        RawWsClient amyLaptop = connect(g2, "amy", "laptop", null);
        RawWsClient ben = connect(g2, "ben", "phone", null);
        request(amyPhone, Map.of("type", "create_channel", "channel", ch, "private", false));
        request(ben, Map.of("type", "join", "channel", ch));
        long m1 = send(amyPhone, ch, "first draft");
        long m2 = send(ben, ch, "to be deleted");
        long resumeFrom = m2;
        event(ben, ch, m2);
        ben.abort(); // ben's phone goes offline and will resume later

        JsonNode refused = request(amyLaptop, Map.of("type", "edit", "channel", ch, "seq", m2, "text", "not mine"));
        assertThat(refused.path("code").asText()).isEqualTo("not_allowed");
        JsonNode edited = request(amyLaptop, Map.of("type", "edit", "channel", ch, "seq", m1, "text", "final draft"));
        assertThat(edited.path("type").asText()).isEqualTo("ok");
        JsonNode deleted = request(amyPhone, Map.of("type", "delete", "channel", ch, "seq", m2)); // amy owns the channel
        JsonNode reacted = request(amyPhone, Map.of("type", "react", "channel", ch, "seq", m1, "emoji", ":tada:"));
        JsonNode again = request(amyLaptop, Map.of("type", "react", "channel", ch, "seq", m1, "emoji", ":tada:"));
        assertThat(again.path("unchanged").asText()).isEqualTo("already_reacted");
        long lastSeq = reacted.path("seq").asLong();

        for (RawWsClient c : List.of(amyPhone, amyLaptop)) {
            JsonNode e = event(c, ch, edited.path("seq").asLong());
            assertThat(e.path("kind").asText()).isEqualTo("edited");
            assertThat(e.path("messageSeq").asLong()).isEqualTo(m1);
            assertThat(e.path("text").asText()).isEqualTo("final draft");
            JsonNode d = event(c, ch, deleted.path("seq").asLong());
            assertThat(d.path("kind").asText()).isEqualTo("deleted");
            assertThat(d.path("messageSeq").asLong()).isEqualTo(m2);
            JsonNode r = event(c, ch, lastSeq);
            assertThat(r.path("kind").asText()).isEqualTo("reaction_added");
            assertThat(r.path("emoji").asText()).isEqualTo(":tada:");
        }

        // Resume on the other gateway: the raw events after the last seen seq, in order, with the deleted text gone.
        RawWsClient benBack = connect(g1, "ben", "phone", Map.of(ch, resumeFrom - 1));
        benBack.awaitType("caught_up", "channel", ch);
        List<JsonNode> replay = benBack.events(ch);
        assertThat(replay).extracting(e -> e.path("seq").asLong()).containsExactly(m2, m2 + 1, m2 + 2, m2 + 3);
        assertThat(replay.get(0).path("kind").asText()).isEqualTo("message");
        assertThat(replay.get(0).has("text")).as("deleted text never comes back through catch-up").isFalse();
        assertThat(replay.get(0).path("deleted").asBoolean()).isTrue();
        assertThat(replay).extracting(e -> e.path("kind").asText()).containsExactly("message", "edited", "deleted", "reaction_added");

        // History: messages as they are now.
        JsonNode history = request(benBack, Map.of("type", "history", "channel", ch, "limit", 10));
        assertThat(history.path("type").asText()).isEqualTo("history");
        JsonNode messages = history.path("messages");
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0).path("text").asText()).isEqualTo("final draft");
        assertThat(messages.get(0).path("editedAt").asLong()).isPositive();
        assertThat(messages.get(0).path("reactions").get(0).path("emoji").asText()).isEqualTo(":tada:");
        assertThat(messages.get(0).path("reactions").get(0).path("count").asInt()).isEqualTo(1);
        assertThat(messages.get(1).path("deleted").asBoolean()).isTrue();
        assertThat(messages.get(1).has("text")).isFalse();
    }

    @Test
    void threadRepliesArriveAsChannelEventsAndTheThreadIsFetchedWithCounts() {
        String ch = id("help");
        RawWsClient cat = connect(g1, "cat", "phone", null);
        RawWsClient dan = connect(g2, "dan", "phone", null);
        request(cat, Map.of("type", "create_channel", "channel", ch, "private", false));
        request(dan, Map.of("type", "join", "channel", ch));
        long root = send(cat, ch, "how do I resume?");
        String key = id("t");
        Map<String, Object> reply = new LinkedHashMap<>(Requests.send(ch, key, "send resume in hello"));
        reply.put("threadRoot", root);
        dan.send(reply);
        long r1 = dan.reply("clientMsgId", key).path("seq").asLong();
        JsonNode live = event(cat, ch, r1);
        assertThat(live.path("threadRoot").asLong()).isEqualTo(root);
        send(cat, ch, "unrelated");
        Map<String, Object> reply2 = new LinkedHashMap<>(Requests.send(ch, "t2-" + key, "thanks!"));
        reply2.put("threadRoot", root);
        cat.send(reply2);
        cat.reply("clientMsgId", "t2-" + key);

        JsonNode thread = request(dan, Map.of("type", "thread", "channel", ch, "root", root, "limit", 10));
        assertThat(thread.path("root").path("replyCount").asInt()).isEqualTo(2);
        assertThat(thread.path("replies")).extracting(r -> r.path("text").asText()).containsExactly("send resume in hello", "thanks!");
        JsonNode history = request(dan, Map.of("type", "history", "channel", ch));
        assertThat(history.path("messages")).extracting(m -> m.path("text").asText()).containsExactly("how do I resume?", "unrelated");
        assertThat(history.path("messages").get(0).path("replyCount").asInt()).isEqualTo(2);
        JsonNode badRoot = request(dan, Map.of("type", "thread", "channel", ch, "root", 9999));
        assertThat(badRoot.path("code").asText()).isEqualTo("unknown_message");
    }

    @Test
    void readsOnOneDeviceShowOnTheOtherAndUnreadCountsFollow() {
        String ch = id("news");
        RawWsClient eve = connect(g1, "eve", "phone", null);
        RawWsClient fox = connect(g1, "fox", "phone", null);
        request(eve, Map.of("type", "create_channel", "channel", ch, "private", false));
        request(fox, Map.of("type", "join", "channel", ch));
        for (int i = 0; i < 5; i++) {
            send(eve, ch, "news " + i + (i == 3 ? " @fox look" : ""));
        }
        long head = send(eve, ch, "news 5");
        RawWsClient foxLaptop = connect(g2, "fox", "laptop", null);
        JsonNode mine = request(foxLaptop, Map.of("type", "channels"));
        JsonNode entry = find(mine.path("channels"), ch);
        assertThat(entry.path("unread").asInt()).isEqualTo(6);
        assertThat(entry.path("mentions").asInt()).isEqualTo(1);
        assertThat(entry.path("lastRead").asLong()).isZero();

        JsonNode read = request(fox, Map.of("type", "mark_read", "channel", ch, "seq", head - 2));
        assertThat(read.path("type").asText()).isEqualTo("ok");
        assertThat(read.path("upTo").asLong()).isEqualTo(head - 2);
        assertThat(read.has("seq")).as("a read cursor takes no seq of the channel").isFalse();
        for (RawWsClient device : List.of(fox, foxLaptop)) {
            JsonNode onDevice = device.await(f -> f.path("type").asText().equals("read") && f.path("channel").asText().equals(ch));
            assertThat(onDevice.path("upTo").asLong()).isEqualTo(head - 2);
        }
        JsonNode back = request(fox, Map.of("type", "mark_read", "channel", ch, "seq", 1));
        assertThat(back.path("unchanged").asText()).isEqualTo("not_advanced");
        long next = send(eve, ch, "after the read");
        assertThat(next).as("the channel's next seq").isEqualTo(head + 1);
        eve.awaitEvents(ch, (int) next);
        assertThat(eve.frames()).as("nothing of fox's cursor reaches eve")
                .noneMatch(f -> f.path("type").asText().equals("read") || f.path("kind").asText().equals("hidden"));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode e = find(request(foxLaptop, Map.of("type", "channels")).path("channels"), ch);
            assertThat(e.path("lastRead").asLong()).isEqualTo(head - 2);
            assertThat(e.path("unread").asInt()).isEqualTo(3);
            assertThat(e.path("mentions").asInt()).isZero();
        });
        RawWsClient foxTablet = connect(g2, "fox", "tablet", null);
        JsonNode welcome = foxTablet.await(f -> f.path("type").asText().equals("welcome"));
        assertThat(find(welcome.path("channels"), ch).path("unread").asInt()).isEqualTo(3);
        assertThat(find(welcome.path("channels"), ch).path("lastRead").asLong()).isEqualTo(head - 2);
    }

    @Test
    void aDirectChannelIsCreatedOnceForTheSameUsers() {
        RawWsClient gus = connect(g1, "gus", "phone", null);
        RawWsClient hal = connect(g2, "hal", "phone", null);
        JsonNode opened = request(gus, Map.of("type", "open_dm", "users", List.of("hal")));
        String dm = opened.path("channel").asText();
        assertThat(dm).startsWith("dm-");
        assertThat(opened.path("seq").asLong()).isEqualTo(1);
        JsonNode again = request(hal, Map.of("type", "open_dm", "users", List.of("gus")));
        assertThat(again.path("channel").asText()).isEqualTo(dm);
        assertThat(again.path("unchanged").asText()).isEqualTo("already_exists");
        JsonNode created = event(hal, dm, 1);
        assertThat(created.path("direct").asBoolean()).isTrue();
        assertThat(created.path("members")).extracting(JsonNode::asText).containsExactlyInAnyOrder("gus", "hal");
        long seq = send(hal, dm, "hi gus");
        assertThat(event(gus, dm, seq).path("text").asText()).isEqualTo("hi gus");
        RawWsClient ivy = connect(g1, "ivy", "phone", null);
        assertThat(request(ivy, Map.of("type", "join", "channel", dm)).path("code").asText()).isEqualTo("not_allowed");
        JsonNode peek = request(ivy, Map.of("type", "history", "channel", dm));
        // to a stranger a direct channel does not exist (issue 12: no existence oracle)
        assertThat(peek.path("code").asText()).isEqualTo("unknown_channel");
    }

    @Test
    void titlesRetriesLeavesUnreactsAndCommandsWithNothingToDoAnswerAsDocumented() {
        String ch = id("lounge");
        RawWsClient jo = connect(g1, "jo", "phone", null);
        RawWsClient kim = connect(g2, "kim", "phone", null);
        Map<String, Object> create = Map.of("type", "create_channel", "channel", ch, "private", false, "title", "The lounge",
                "requestId", id("r"));
        jo.send(create);
        JsonNode created = jo.reply("requestId", (String) create.get("requestId"));
        assertThat(created.path("type").asText()).isEqualTo("ok");
        assertThat(event(jo, ch, created.path("seq").asLong()).path("title").asText()).isEqualTo("The lounge");
        // the same request again (another device of the same user): the original answer, marked duplicate
        RawWsClient joLaptop = connect(g2, "jo", "laptop", null);
        joLaptop.send(create);
        JsonNode retried = joLaptop.reply("requestId", (String) create.get("requestId"));
        assertThat(retried.path("duplicate").asBoolean()).isTrue();
        assertThat(retried.path("seq").asLong()).isEqualTo(created.path("seq").asLong());
        assertThat(request(kim, Map.of("type", "create_channel", "channel", ch)).path("code").asText()).isEqualTo("channel_exists");

        long joined = request(kim, Map.of("type", "join", "channel", ch)).path("seq").asLong();
        assertThat(request(kim, Map.of("type", "join", "channel", ch)).path("unchanged").asText()).isEqualTo("already_member");
        long m = send(jo, ch, "hello @kim");
        JsonNode edited = request(jo, Map.of("type", "edit", "channel", ch, "seq", m, "text", "hello @kim, welcome"));
        assertThat(event(kim, ch, edited.path("seq").asLong()).path("mentions")).extracting(JsonNode::asText).containsExactly("kim");
        JsonNode history = request(kim, Map.of("type", "history", "channel", ch));
        assertThat(history.path("messages").get(0).path("mentions")).extracting(JsonNode::asText).containsExactly("kim");

        assertThat(request(kim, Map.of("type", "unreact", "channel", ch, "seq", m, "emoji", ":wave:")).path("unchanged").asText())
                .isEqualTo("not_reacted");
        request(kim, Map.of("type", "react", "channel", ch, "seq", m, "emoji", ":wave:"));
        JsonNode unreacted = request(kim, Map.of("type", "unreact", "channel", ch, "seq", m, "emoji", ":wave:"));
        JsonNode removed = event(jo, ch, unreacted.path("seq").asLong());
        assertThat(removed.path("kind").asText()).isEqualTo("reaction_removed");
        assertThat(removed.path("messageSeq").asLong()).isEqualTo(m);
        assertThat(removed.path("emoji").asText()).isEqualTo(":wave:");

        request(jo, Map.of("type", "delete", "channel", ch, "seq", m));
        assertThat(request(jo, Map.of("type", "delete", "channel", ch, "seq", m)).path("unchanged").asText()).isEqualTo("already_deleted");
        assertThat(request(jo, Map.of("type", "edit", "channel", ch, "seq", m, "text", "too late")).path("code").asText())
                .isEqualTo("message_deleted");
        // read back after the deletion, the edit carries no text either
        JsonNode page = request(kim, Map.of("type", "events", "channel", ch, "after", 0));
        JsonNode edit = page.path("events").get((int) edited.path("seq").asLong() - 1);
        assertThat(edit.path("kind").asText()).isEqualTo("edited");
        assertThat(edit.path("deleted").asBoolean()).isTrue();
        assertThat(edit.has("text")).isFalse();

        JsonNode left = request(kim, Map.of("type", "leave", "channel", ch));
        JsonNode leftEvent = event(jo, ch, left.path("seq").asLong());
        assertThat(leftEvent.path("kind").asText()).isEqualTo("member_left");
        assertThat(leftEvent.path("member").asText()).isEqualTo("kim");
        assertThat(left.path("seq").asLong()).isGreaterThan(joined);
        RawWsClient joTablet = connect(g1, "jo", "tablet", null);
        JsonNode welcome = joTablet.await(f -> f.path("type").asText().equals("welcome"));
        assertThat(find(welcome.path("channels"), ch).path("title").asText()).isEqualTo("The lounge");
    }

    @Test
    void notificationPreferencesAreSetByFrameAndByRestAndAnsweredWhole() throws Exception {
        RawWsClient gus = connect(g1, "gus", "phone", Map.of());
        JsonNode level = request(gus, Map.of("type", "set_notifications", "level", "all"));
        assertThat(level.path("type").asText()).as(level.toString()).isEqualTo("ok");
        assertThat(level.has("channel")).isFalse();
        assertThat(level.path("notifications").toString()).isEqualTo("{\"level\":\"all\",\"channels\":[]}");
        JsonNode mute = request(gus, Map.of("type", "set_notifications", "channel", "gus-room", "channelLevel", "mute"));
        assertThat(mute.path("notifications").toString()).isEqualTo("{\"level\":\"all\",\"channels\":[{\"channel\":\"gus-room\",\"level\":\"mute\"}]}");
        JsonNode refused = request(gus, Map.of("type", "set_notifications", "level", "loud"));
        assertThat(refused.path("type").asText()).isEqualTo("error");
        assertThat(refused.path("code").asText()).isEqualTo("invalid");
        JsonNode orphan = request(gus, Map.of("type", "set_notifications", "channelLevel", "mute"));
        assertThat(orphan.path("code").asText()).isEqualTo("invalid");

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> viaRest = http.send(HttpRequest.newBuilder(URI.create(g2.httpUrl() + "/api/v1/me/notifications"))
                .header("Authorization", "Bearer " + env.token("gus")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"level\":\"mentions\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(viaRest.statusCode()).as(viaRest.body()).isEqualTo(200);
        assertThat(viaRest.body()).isEqualTo("{\"level\":\"mentions\",\"channels\":[{\"channel\":\"gus-room\",\"level\":\"mute\"}]}");
        HttpResponse<String> channel = http.send(HttpRequest.newBuilder(URI.create(g2.httpUrl() + "/api/v1/channels/gus-room/notifications"))
                .header("Authorization", "Bearer " + env.token("gus")).header("Idempotency-Key", id("k"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"level\":\"default\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(channel.statusCode()).as(channel.body()).isEqualTo(200);
        assertThat(channel.body()).isEqualTo("{\"level\":\"mentions\",\"channels\":[]}");
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(g2.httpUrl() + "/api/v1/channels/gus-room/notifications"))
                .header("Authorization", "Bearer " + env.token("gus"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"level\":\"loud\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("\"error\":\"invalid\"");
    }

    private static JsonNode find(JsonNode channels, String ch) {
        for (JsonNode c : channels) {
            if (c.path("channel").asText().equals(ch)) {
                return c;
            }
        }
        throw new AssertionError("no " + ch + " in " + channels);
    }
}
