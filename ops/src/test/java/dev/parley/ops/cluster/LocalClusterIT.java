package dev.parley.ops.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.schemas.topics.TopicNames;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real local cluster (3 KRaft brokers in their own JVMs, the registry, 1 topology, 1 gateway; RF 3, min ISR 2):
 * messages sent through the gateway keep being acknowledged while the broker leading the channel's log partition
 * is SIGKILLed, every acknowledged send is in the history exactly once at the seq it was acked with, the seqs are
 * 1..N with no gap, and the killed broker, started again, rejoins the partition's in-sync replicas.
 * One topology and one gateway keep it light enough for CI (2 cores); {@code parley cluster} runs 2 of each.
 */
class LocalClusterIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String CHANNEL = "chaos-room";
    private static final Duration ACK_WITHIN = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    private URI gateway;
    private String token;
    /** clientMsgId -> the seq its ack carried, in send order. */
    private final Map<String, Long> acked = new LinkedHashMap<>();
    private long longestWaitMillis;
    private int retriedAfterCommit;

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void sendsKeepBeingAckedWhileTheChannelsLeaderBrokerIsKilledAndTheHistoryStaysGapFree() throws Exception {
        ClusterSettings settings = ClusterSettings.defaults(dir.resolve("cluster")).withNodes(3, 1, 1).withPartitions(3)
                .withTimeouts(Duration.ofMinutes(4), Duration.ofSeconds(60))
                // Light JVMs for a 2-core CI box: C1 only, one GC thread.
                .withJavaOptions(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        long t0 = System.nanoTime();
        try (LocalCluster cluster = LocalCluster.start(settings);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            System.out.printf("cluster of %d processes up in %d ms%n", cluster.nodes().size(), cluster.startMillis());
            assertThat(cluster.nodes()).extracting(ClusterNode::name)
                    .containsExactly("broker-1", "broker-2", "broker-3", "registry", "topology-1", "gateway-1");
            assertThat(cluster.nodes()).allMatch(ClusterNode::isRunning);
            assertThat(cluster.nodes().stream().map(n -> n.pid().orElseThrow()).distinct()).hasSize(6)
                    .doesNotContain(ProcessHandle.current().pid());
            assertThat(cluster.transactionVersion()).isEqualTo((short) 2);
            String log = TopicNames.defaults().log();
            TopicDescription logTopic = admin.describeTopics(List.of(log)).allTopicNames().get().get(log);
            assertThat(logTopic.partitions()).hasSize(3).allMatch(p -> p.replicas().size() == 3 && p.isr().size() == 3);
            ConfigResource logConfig = new ConfigResource(ConfigResource.Type.TOPIC, log);
            Config config = admin.describeConfigs(List.of(logConfig)).all().get().get(logConfig);
            assertThat(config.get("min.insync.replicas").value()).isEqualTo("2");

            gateway = cluster.gatewayUrls().get(0);
            token = JSON.readTree(post("/api/dev/token", null, null, "{\"user\":\"alice\"}").body()).path("token").asText();
            assertThat(post("/api/v1/channels", token, null, "{\"channel\":\"" + CHANNEL + "\"}").statusCode()).isEqualTo(201);
            for (int i = 1; i <= 20; i++) {
                send(i);
            }

            // The broker leading the channel's log partition: the topology's transactions write there.
            int partition = Utils.toPositive(Utils.murmur2(CHANNEL.getBytes(StandardCharsets.UTF_8))) % 3;
            int leader = leaderOf(admin, log, partition).orElseThrow();
            ClusterNode victim = cluster.node("broker-" + leader);
            long victimPid = victim.pid().orElseThrow();
            victim.kill();
            assertThat(ProcessHandle.of(victimPid).map(ProcessHandle::isAlive)).as("SIGKILLed").isNotEqualTo(Optional.of(true));
            long killedAt = System.nanoTime();
            for (int i = 21; i <= 40; i++) {
                send(i);
            }
            long ackedWithoutIt = acked.size();
            System.out.printf("broker-%d (leader of %s-%d) killed; 20 sends acked %d ms later; longest wait for an ack %d ms;"
                            + " %d acked on a retry of a committed send%n", leader, log, partition,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt), longestWaitMillis, retriedAfterCommit);
            assertThat(leaderOf(admin, log, partition)).as("a new leader").isPresent().isNotEqualTo(Optional.of(leader));

            victim.startAndAwaitReady(Duration.ofMinutes(4));
            await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> assertThat(isr(admin, log, partition))
                    .as("the restarted broker caught up and rejoined the ISR").contains(leader).hasSize(3));
            for (int i = 41; i <= 50; i++) {
                send(i);
            }

            assertThat(ackedWithoutIt).isEqualTo(40);
            assertThat(acked).hasSize(50);
            // seq 1 is channel_created; sends are sequential, so their acks count up from 2 with no gap.
            assertThat(acked.values()).containsExactlyElementsOf(LongStream.rangeClosed(2, 51).boxed().toList());

            JsonNode history = JSON.readTree(get("/api/v1/channels/" + CHANNEL + "/events?after=0&limit=500").body());
            List<Long> seqs = new ArrayList<>();
            Map<String, Long> byKey = new LinkedHashMap<>();
            for (JsonNode e : history.path("events")) {
                seqs.add(e.path("seq").asLong());
                if (e.path("kind").asText().equals("message")) {
                    assertThat(byKey.put(e.path("clientMsgId").asText(), e.path("seq").asLong()))
                            .as("one event per key: %s", e.path("clientMsgId").asText()).isNull();
                    assertThat(e.path("text").asText()).isEqualTo("message " + e.path("clientMsgId").asText());
                }
            }
            assertThat(seqs).as("gap-free, no duplicate").containsExactlyElementsOf(LongStream.rangeClosed(1, 51).boxed().toList());
            assertThat(byKey).as("every ack is the committed event's seq").containsExactlyEntriesOf(acked);
        }
        System.out.printf("test body (start, traffic, kill, restart, stop) took %d s%n",
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0));
    }

    /** Sends message {@code i} with key {@code k<i>}, the same key again until it is acked (as a client does). */
    private void send(int i) {
        String key = "k" + i;
        long start = System.nanoTime();
        long[] seq = {-1};
        await().atMost(ACK_WITHIN).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(250)).until(() -> {
            HttpResponse<String> r;
            try {
                r = post("/api/v1/channels/" + CHANNEL + "/messages", token, key, "{\"text\":\"message " + key + "\"}");
            } catch (IOException e) {
                return false; // the gateway is reachable throughout, but a request may still fail: retry
            }
            if (r.statusCode() == 201 || r.statusCode() == 200) { // 200: a retry of a send already committed
                JsonNode ack = JSON.readTree(r.body());
                assertThat(ack.path("duplicate").asBoolean()).as(r.body()).isEqualTo(r.statusCode() == 200);
                if (ack.path("duplicate").asBoolean()) {
                    retriedAfterCommit++;
                }
                seq[0] = ack.path("seq").asLong();
                return true;
            }
            // 503 unavailable / 504 timeout while the cluster fails over; 429 if a rate limit applies: all retried.
            assertThat(r.statusCode()).as("only transient failures: %s", r.body()).isIn(429, 503, 504);
            return false;
        });
        longestWaitMillis = Math.max(longestWaitMillis, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        assertThat(acked.put(key, seq[0])).isNull();
    }

    private static Optional<Integer> leaderOf(Admin admin, String topic, int partition) throws Exception {
        TopicPartitionInfo p = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().get(partition);
        return p.leader() == null || p.leader().isEmpty() ? Optional.empty() : Optional.of(p.leader().id());
    }

    private static Set<Integer> isr(Admin admin, String topic, int partition) throws Exception {
        return Set.copyOf(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().get(partition)
                .isr().stream().map(org.apache.kafka.common.Node::id).toList());
    }

    private HttpResponse<String> post(String path, String bearer, String idempotencyKey, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(gateway.resolve(path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(gateway.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }
}
