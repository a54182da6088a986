package dev.parley.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.api.query.ChannelQueries;
import dev.parley.api.query.EventPage;
import dev.parley.api.query.QueryClient;
import dev.parley.api.query.UserChannel;
import dev.parley.testkit.KafkaTestCluster;
import dev.parley.testkit.SharedKafka;
import dev.parley.topology.support.Commands;
import dev.parley.topology.support.TopologyEnv;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query RPC over one instance: reads capped at {@code upTo}, messages and threads in their current state
 * from channel-state, the channel list from user-state, and the RPC's own guard (shared secret, error bodies
 * without exception class names).
 */
@ExtendWith(SharedKafka.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryRpcIT {

    private static final long ALL = ChannelQueries.COMMITTED;
    private TopologyEnv env;
    private TopologyService topology;
    private QueryClient rpc;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(KafkaTestCluster kafka, @TempDir Path dir) {
        env = new TopologyEnv(kafka, QueryRpcIT.class, 2);
        topology = TopologyService.start(env.instanceConfig("rpc-" + System.nanoTime(), dir, 0));
        rpc = new QueryClient(List.of(topology.rpcUrl()), Duration.ofSeconds(15), env.rpcSecret);
        Instant t = Instant.now();
        try (var producer = env.commandProducer()) {
            env.send(producer, Commands.create("general", "alice", false, t));               // 1
            env.send(producer, Commands.join("general", "bob", t));                          // 2
            for (int i = 3; i <= 10; i++) {
                env.send(producer, Commands.send("general", "alice", "m" + i, "message " + i + (i == 8 ? " @bob" : ""), t));
            }
            env.send(producer, Commands.reply("general", "bob", "r1", "a reply", 3, t));      // 11
            env.send(producer, Commands.edit("general", "alice", "e1", 4, "message 4, edited", t)); // 12
            env.send(producer, Commands.delete("general", "alice", "d1", 5, t));             // 13
            env.send(producer, Commands.react("general", "bob", "x1", 3, ":tada:", t));       // 14
            env.send(producer, Commands.reply("general", "alice", "r2", "a later reply", 3, t)); // 15
            env.send(producer, Commands.markRead("general", "bob", "read", 7, t));
        }
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() -> {
            assertThat(rpc.channel("general", ALL).orElseThrow().head()).isEqualTo(15);
            assertThat(rpc.channelsOf("bob").channels()).singleElement().satisfies(c -> assertThat(c.lastRead()).isEqualTo(7));
            // user-state is partitioned by user: alice's membership may be applied after bob's cursor
            assertThat(rpc.channelsOf("alice").channels()).singleElement().satisfies(c -> assertThat(c.head()).isEqualTo(15));
        });
    }

    @AfterAll
    void stop() {
        topology.close();
        env.close();
    }

    @Test
    void eventsAreNeverServedPastUpToAndTheHeadSaysSo() {
        EventPage capped = rpc.eventsAfter("general", 0, 100, 5);
        assertThat(capped.events()).extracting(e -> e.get("seq").asLong()).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(capped.head()).isEqualTo(5);
        assertThat(capped.more()).isFalse();
        EventPage paged = rpc.eventsAfter("general", 0, 3, 5);
        assertThat(paged.events()).hasSize(3);
        assertThat(paged.more()).isTrue();
        assertThat(rpc.eventsAfter("general", 5, 100, 5).events()).isEmpty();
        assertThat(rpc.eventsBefore("general", 100, 3, 6).events()).extracting(e -> e.get("seq").asLong()).containsExactly(4L, 5L, 6L);
        assertThat(rpc.channel("general", 4).orElseThrow().head()).isEqualTo(4);
        EventPage all = rpc.eventsAfter("general", 0, 100, ALL);
        assertThat(all.events()).extracting(e -> e.get("seq").asLong()).isEqualTo(LongStream.rangeClosed(1, 15).boxed().toList());
        assertThat(all.head()).isEqualTo(15);
        // The deleted message and nothing else is served without its text.
        ObjectNode deleted = all.events().get(4);
        assertThat(deleted.path("deleted").asBoolean()).isTrue();
        assertThat(deleted.has("text")).isFalse();
        assertThat(all.events().get(3).path("text").asText()).isEqualTo("message 4");
        assertThat(all.events().get(11).path("text").asText()).as("the edit itself").isEqualTo("message 4, edited");
    }

    @Test
    void historyAndThreadsServeMessagesInTheirCurrentStateUpToTheCap() {
        var history = rpc.messagesBefore("general", Long.MAX_VALUE, 100, ALL);
        assertThat(history.messages()).extracting(m -> m.get("seq").asLong()).containsExactly(3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        JsonNode root = history.messages().get(0);
        assertThat(root.path("replyCount").asInt()).isEqualTo(2);
        assertThat(root.path("lastReplySeq").asLong()).isEqualTo(15);
        assertThat(root.path("reactions").get(0).path("emoji").asText()).isEqualTo(":tada:");
        assertThat(history.messages().get(1).path("text").asText()).isEqualTo("message 4, edited");
        assertThat(history.messages().get(1).has("editedAt")).isTrue();
        assertThat(history.messages().get(2).path("deleted").asBoolean()).isTrue();
        assertThat(history.messages().get(2).has("text")).isFalse();
        assertThat(rpc.messagesBefore("general", Long.MAX_VALUE, 100, 6).messages()).extracting(m -> m.get("seq").asLong())
                .containsExactly(3L, 4L, 5L, 6L);
        var older = rpc.messagesBefore("general", 9, 2, ALL);
        assertThat(older.messages()).extracting(m -> m.get("seq").asLong()).containsExactly(7L, 8L);
        assertThat(older.more()).isTrue();

        var thread = rpc.thread("general", 3, 0, 10, ALL).orElseThrow();
        assertThat(thread.replies()).extracting(r -> r.get("text").asText()).containsExactly("a reply", "a later reply");
        assertThat(rpc.thread("general", 3, 0, 10, 12).orElseThrow().replies()).extracting(r -> r.get("seq").asLong()).containsExactly(11L);
        assertThat(rpc.thread("general", 2, 0, 10, ALL)).as("a join is not a message").isEmpty();
        assertThat(rpc.thread("general", 99, 0, 10, ALL)).isEmpty();
    }

    @Test
    void theChannelListComesFromTheUsersStateWithUnreadCountsAfterTheCursor() {
        UserChannel bob = rpc.channelsOf("bob").channels().get(0);
        assertThat(bob.channel()).isEqualTo("general");
        assertThat(bob.role()).isEqualTo("member");
        assertThat(bob.joinedSeq()).isEqualTo(2);
        assertThat(bob.head()).isEqualTo(15);
        assertThat(bob.lastRead()).isEqualTo(7);
        assertThat(bob.unread()).as("messages 8, 9, 10 by alice (replies do not count)").isEqualTo(3);
        assertThat(bob.mentions()).isEqualTo(1);
        UserChannel alice = rpc.channelsOf("alice").channels().get(0);
        assertThat(alice.role()).isEqualTo("owner");
        assertThat(alice.unread()).as("bob's only top-level message? none: his are replies").isZero();
        assertThat(rpc.channelsOf("nobody").channels()).isEmpty();
        assertThat(rpc.members("general", null, 10).members()).extracting(m -> m.user()).containsExactly("alice", "bob");
        assertThat(rpc.member("general", "carol")).isEmpty();
    }

    @Test
    void theRpcWantsItsSecretAndNamesNoExceptionClassInItsErrors() throws Exception {
        URI base = topology.rpcUrl();
        assertThat(get(base + "/health", null).statusCode()).isEqualTo(200);
        assertThat(get(base + "/v1/channels/general", null).statusCode()).isEqualTo(401);
        assertThat(get(base + "/v1/channels/general", "not-the-secret-not-the-secret-not-it").statusCode()).isEqualTo(401);
        assertThat(get(base + "/v1/users/bob/channels", null).body()).doesNotContain("general");
        assertThat(get(base + "/v1/channels/general", env.rpcSecret).statusCode()).isEqualTo(200);

        HttpResponse<String> badNumber = get(base + "/v1/channels/general/events?after=x", env.rpcSecret);
        assertThat(badNumber.statusCode()).isEqualTo(400);
        HttpResponse<String> badBody = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/channels:info"))
                .header(QueryClient.SECRET_HEADER, env.rpcSecret).POST(HttpRequest.BodyPublishers.ofString("{not json")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(badBody.statusCode()).isEqualTo(400);
        for (HttpResponse<String> r : List.of(badNumber, badBody)) {
            assertThat(r.body()).contains("\"invalid\"").doesNotContain("Exception").doesNotContain("java.");
        }
    }

    private HttpResponse<String> get(String url, String secret) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (secret != null) {
            b.header(QueryClient.SECRET_HEADER, secret);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
