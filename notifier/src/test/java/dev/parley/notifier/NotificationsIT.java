package dev.parley.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.client.ParleyClient;
import dev.parley.gateway.GatewayServer;
import dev.parley.notifier.support.NotifierEnv;
import dev.parley.notifier.support.WebhookReceiver;
import dev.parley.testkit.KafkaTestCluster;
import dev.parley.testkit.SharedKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * End to end on the real broker: Parley's Java client on two real gateways sends through a real topology; the notifier reads the
 * committed log, the users' own events and the connection registry the gateways write, and POSTs to a real local
 * receiver that verifies every signature. The delay is short (15 s) but no assertion depends on timing: a test waits
 * for a control user's notification, due after the one it expects not to see.
 */
@ExtendWith(SharedKafka.class)
class NotificationsIT {

    static NotifierEnv env;
    static WebhookReceiver receiver;
    static GatewayServer gateway;
    static GatewayServer gateway2;
    static NotifierService notifier;
    static ParleyClient alice;

    @BeforeAll
    static void setUp(KafkaTestCluster kafka) {
        env = new NotifierEnv(kafka, NotificationsIT.class);
        receiver = NotifierEnv.receiver();
        gateway = env.gateway();
        gateway2 = env.gateway();
        notifier = env.notifier(receiver, Map.of("PARLEY_NOTIFIER_DELAY", "15s"));
        alice = online(gateway, "alice", "laptop");
        alice.createChannel("general", false).join();
        List<String> members = List.of("bob", "carol", "dave", "erin", "frank", "gina", "hank", "ivy", "jill");
        for (String user : members) {
            try (ParleyClient c = online(gateway, user, "phone")) {
                c.join("general").join();
            } // and offline again
        }
        // Messages after this are committed after each member's last device left, as the registry tells.
        await().atMost(Duration.ofSeconds(60)).until(() -> members.stream().noneMatch(NotificationsIT::online));
    }

    /** A device of {@code user} connected to {@code g} (welcomed). */
    static ParleyClient online(GatewayServer g, String user, String device) {
        ParleyClient c = new ParleyClient(ParleyClient.Config.of(g.wsUrl(), device, reason -> env.token(user)));
        c.start().orTimeout(60, TimeUnit.SECONDS).join();
        return c;
    }

    static ObjectNode frame(String type) {
        return JsonNodeFactory.instance.objectNode().put("type", type);
    }

    /** Sends and waits for the ack (after commit). */
    static JsonNode send(String channel, String text) {
        return alice.send(channel, text).orTimeout(60, TimeUnit.SECONDS).join();
    }

    static boolean online(String user) {
        return notifier.presence().presence(user).online();
    }

    @AfterAll
    static void tearDown() {
        if (alice != null) {
            alice.close();
        }
        receiver.close();
        env.close();
    }

    static List<JsonNode> to(String user) {
        return receiver.accepted().stream().filter(b -> b.path("user").asText().equals(user)).toList();
    }

    static List<JsonNode> messages(JsonNode notification) {
        return StreamSupport.stream(notification.path("messages").spliterator(), false).toList();
    }

    static String openDm(String other) {
        ObjectNode open = frame("open_dm");
        open.putArray("users").add(other);
        return alice.call(open).join().path("channel").asText();
    }

    @Test
    void anOfflineUserMentionedInAChannelAndMessagedInADirectChannelGetsOneCallEach() {
        JsonNode mention = send("general", "standup in 5, @bob?");
        await().atMost(Duration.ofSeconds(90)).until(() -> to("bob").size() == 1);
        String dm = openDm("bob");
        JsonNode direct = send(dm, "lunch?");

        await().atMost(Duration.ofSeconds(90)).until(() -> to("bob").size() == 2);

        List<JsonNode> bob = to("bob");
        assertThat(bob).extracting(n -> n.path("count").asInt()).containsExactly(1, 1);
        JsonNode first = messages(bob.get(0)).get(0);
        assertThat(first.path("channel").asText()).isEqualTo("general");
        assertThat(first.path("seq").asLong()).isEqualTo(mention.path("seq").asLong());
        assertThat(first.path("reason").asText()).isEqualTo("mention");
        assertThat(first.path("sender").asText()).isEqualTo("alice");
        assertThat(first.path("text").asText()).isEqualTo("standup in 5, @bob?");
        JsonNode second = messages(bob.get(1)).get(0);
        assertThat(second.path("channel").asText()).isEqualTo(dm);
        assertThat(second.path("seq").asLong()).isEqualTo(direct.path("seq").asLong());
        assertThat(second.path("reason").asText()).isEqualTo("direct");
        assertThat(receiver.calls()).allMatch(WebhookReceiver.Call::verified);
        assertThat(receiver.acceptedById()).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1L));
        assertThat(to("alice")).as("the sender is never notified").isEmpty();
    }

    @Test
    void aUserWhoReadsWithinTheDelayGetsNothing() {
        try (ParleyClient carol = online(gateway, "carol", "phone")) {
            JsonNode mention = send("general", "@carol can you review?");
            carol.call(frame("mark_read").put("channel", "general").put("seq", mention.path("seq").asLong())).join();
        }
        send("general", "@dave too"); // dave never reads: due after carol's would have been

        await().atMost(Duration.ofSeconds(90)).until(() -> to("dave").size() == 1);

        assertThat(to("carol")).isEmpty();
        assertThat(notifier.metrics().scrape()).as("cancelled by carol's read cursor (parley.user-events)")
                .containsPattern("parley_notifier_cancelled_total\\{[^}]*why=\"read\"[^}]*} 1\\.0");
    }

    @Test
    void aUserOnlineOnAnyDeviceOfAnyGatewayGetsNone() {
        // frank's laptop on gateway 1 went away in setUp; his phone is on gateway 2, where nobody sends.
        try (ParleyClient ignored = online(gateway2, "frank", "phone")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> online("frank"));
            send("general", "@frank the build is green");
            String dm = openDm("frank");
            send(dm, "ship it?");
            send("general", "@gina you too"); // gina is offline: she is notified

            // frank's digest is decided (cancelled: online) while his phone is connected. Its due time need not
            // come before gina's: the two users' digests may sit in different tasks (a CI run had gina notified
            // first), so wait for both outcomes rather than rely on their order.
            await().atMost(Duration.ofSeconds(90)).until(() -> to("gina").size() == 1 && notifier.metrics().scrape()
                    .matches("(?s).*parley_notifier_cancelled_total\\{[^}]*why=\"online\"[^}]*} [1-9].*"));

            assertThat(to("frank")).as("online on a device of another gateway").isEmpty();
        }
    }

    @Test
    void preferencesSetThroughRestReachTheNotifierThroughTheUserEvents() throws Exception {
        assertThat(put("hank", "/api/v1/channels/general/notifications", "{\"level\":\"mute\"}"))
                .isEqualTo("{\"level\":\"mentions\",\"channels\":[{\"channel\":\"general\",\"level\":\"mute\"}]}");
        assertThat(put("ivy", "/api/v1/me/notifications", "{\"level\":\"nothing\"}"))
                .isEqualTo("{\"level\":\"nothing\",\"channels\":[]}");
        send("general", "@hank @ivy please look");
        send("general", "@jill you too"); // jill keeps the defaults: due after hank's and ivy's would have been

        await().atMost(Duration.ofSeconds(90)).until(() -> to("jill").size() == 1);

        assertThat(to("hank")).as("general is muted").isEmpty();
        assertThat(to("ivy")).as("nothing at all").isEmpty();
    }

    static String put(String user, String path, String body) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gateway.httpUrl() + path))
                .header("Authorization", "Bearer " + env.token(user)).PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    @Test
    void aBurstOfTwentyMessagesBecomesOneDigest() {
        String dm = openDm("erin");
        long firstSeq = -1;
        for (int i = 1; i <= 20; i++) {
            JsonNode ack = send(dm, "burst " + i);
            if (i == 1) {
                firstSeq = ack.path("seq").asLong();
            }
        }

        await().atMost(Duration.ofSeconds(90)).until(() -> to("erin").size() == 1);

        JsonNode digest = to("erin").get(0);
        assertThat(digest.path("count").asInt()).isEqualTo(20);
        assertThat(messages(digest)).extracting(m -> m.path("text").asText())
                .containsExactly("burst 20", "burst 19", "burst 18", "burst 17", "burst 16");
        assertThat(messages(digest)).extracting(m -> m.path("seq").asLong())
                .containsExactly(firstSeq + 19, firstSeq + 18, firstSeq + 17, firstSeq + 16, firstSeq + 15);
        assertThat(receiver.acceptedById(digest.path("id").asText())).containsValue(1L);
    }
}
