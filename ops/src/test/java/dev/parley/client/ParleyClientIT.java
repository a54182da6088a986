package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.gateway.GatewayConfig;
import dev.parley.gateway.GatewayMain;
import dev.parley.gateway.auth.DevTokens;
import dev.parley.ops.runner.LocalStack;
import dev.parley.ops.runner.TopologyComponent;
import dev.parley.ops.runner.RunnerSettings;
import dev.parley.testkit.ChildJvm;
import dev.parley.testkit.FrameLog;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import javax.tools.ToolProvider;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java client against a real Parley: the local stack of {@code parley start} (ephemeral ports) and a gateway
 * in a child JVM that the tests SIGKILL and start again on the same port. The same scenarios as the JavaScript
 * SDK's integration tests (clients/js/test/integration).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ParleyClientIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Path dir;
    private LocalStack stack;
    private ChildJvm gateway;
    private int port;
    private final DevTokens tokens = new DevTokens(GatewayConfig.DEV_SECRET);
    private final List<ParleyClient> clients = new ArrayList<>();

    @BeforeAll
    void start(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        RunnerSettings settings = RunnerSettings.ephemeral(dir.resolve("data"));
        stack = new LocalStack(settings, LocalStack.defaultComponents(settings)).start();
        startGateway(0);
    }

    @AfterAll
    void stop() throws Exception {
        try {
            clients.forEach(ParleyClient::close);
        } finally {
            // the child JVM outlives this one unless it is stopped: never skip it
            if (gateway != null) {
                gateway.close();
            }
            if (stack != null) {
                stack.close();
            }
        }
    }

    private void startGateway(int onPort) throws Exception {
        Map<String, String> env = new HashMap<>(stack.context().commonEnv());
        env.put("PARLEY_TOPOLOGY_URLS", stack.context().topologyUrl().orElseThrow());
        env.put("PARLEY_DEV_MODE", "true");
        env.put("PARLEY_GATEWAY_BIND", "127.0.0.1");
        env.put("PARLEY_GATEWAY_PORT", String.valueOf(onPort));
        env.put("PARLEY_WELCOME_CHANNELS", "2"); // a welcome lists 2 channels: clients with more page the rest
        gateway = ChildJvm.start(GatewayMain.class, env, "PARLEY_GATEWAY_READY");
        URI ws = URI.create(gateway.awaitReady(120, TimeUnit.SECONDS));
        port = ws.getPort();
    }

    private ParleyClient client(String user, ClientStorage storage, List<JsonNode> seen) {
        return client(user, user + "-it", storage, seen, text -> false);
    }

    private ParleyClient client(String user, ClientStorage storage, List<JsonNode> seen, Predicate<String> drop) {
        return client(user, user + "-it", storage, seen, drop);
    }

    /** A client whose received frames go to the frame log (the contracts module checks them); {@code drop} loses some. */
    private ParleyClient client(String user, String device, ClientStorage storage, List<JsonNode> seen, Predicate<String> drop) {
        ParleyClient c = new ParleyClient(ParleyClient.Config.of(URI.create("ws://127.0.0.1:" + port + "/ws"), device,
                reason -> tokens.issue(user, Duration.ofHours(1))).withStorage(storage)
                .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1)));
        c.dropIncoming(text -> {
            FrameLog.received(text);
            return drop.test(text);
        });
        c.onEvent(seen::add);
        clients.add(c);
        return c;
    }

    /** clientMsgId -> how many message events carry it, after checking the channel's seqs are 1..head. */
    private Map<String, Integer> landed(String user, String channel, List<String> ids) throws Exception {
        // the REST read side may trail the committed log by a moment: wait until it shows every acked send
        await().atMost(Duration.ofSeconds(60)).until(() -> landedOnce(user, channel).keySet().containsAll(ids));
        return landedOnce(user, channel);
    }

    private Map<String, Integer> landedOnce(String user, String channel) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/channels/" + channel
                + "/events?after=0&limit=1000")).header("Authorization", "Bearer " + tokens.issue(user, Duration.ofHours(1))).build();
        JsonNode page = JSON.readTree(HTTP.send(req, HttpResponse.BodyHandlers.ofString()).body());
        List<Long> seqs = new ArrayList<>();
        Map<String, Integer> counts = new HashMap<>();
        for (JsonNode e : page.path("events")) {
            seqs.add(e.path("seq").asLong());
            if (e.path("kind").asText().equals("message")) {
                counts.merge(e.path("clientMsgId").asText(), 1, Integer::sum);
            }
        }
        assertThat(seqs).as("seqs of %s", channel).containsExactlyElementsOf(LongRangeList.of(1, seqs.size()));
        return counts;
    }

    private static void assertConsecutive(List<JsonNode> seen, String channel) {
        List<Long> seqs = seen.stream().filter(e -> e.path("channel").asText().equals(channel)).map(e -> e.path("seq").asLong()).toList();
        for (int i = 1; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).as("handed over in order, no gap: %s", seqs).isEqualTo(seqs.get(i - 1) + 1);
        }
    }

    @Test
    void aGatewayKilledMidSendAndRestartedLosesNothingAndDuplicatesNothing() throws Exception {
        List<JsonNode> seen = new CopyOnWriteArrayList<>();
        ParleyClient alice = client("alice", ClientStorage.memory(), seen);
        alice.start().get(120, TimeUnit.SECONDS);
        alice.createChannel("kill-room", false).get(60, TimeUnit.SECONDS);
        AtomicInteger acked = new AtomicInteger();
        List<String> ids = IntStream.range(0, 30).mapToObj(i -> "kill-" + i).toList();
        List<CompletableFuture<JsonNode>> sends = new ArrayList<>();
        ids.subList(0, 3).forEach(id -> sends.add(alice.send("kill-room", "message " + id, id).whenComplete((a, e) -> acked.incrementAndGet())));
        await().atMost(Duration.ofSeconds(60)).until(() -> acked.get() == 3);
        // The topology stops processing: the other sends reach the gateway (and their commands the log) but
        // cannot be acked, so the kill finds them in flight however fast the machine is (a quiet CI box acked
        // all 30 before the kill when this relied on timing).
        KafkaStreams topology = ((TopologyComponent) stack.components().stream().filter(c -> c.name().equals("topology"))
                .findFirst().orElseThrow()).service().streams();
        int ackedBeforeKill;
        topology.pause();
        try {
            ids.subList(3, ids.size()).forEach(id -> sends.add(alice.send("kill-room", "message " + id, id)
                    .whenComplete((a, e) -> acked.incrementAndGet())));
            gateway.kill();
            ackedBeforeKill = acked.get();
            await().atMost(Duration.ofSeconds(60)).until(() -> alice.state() != ParleyClient.State.ONLINE);
        } finally {
            topology.resume();
        }
        startGateway(port);
        List<JsonNode> acks = new ArrayList<>();
        for (CompletableFuture<JsonNode> s : sends) {
            acks.add(s.get(120, TimeUnit.SECONDS));
        }
        assertThat(ackedBeforeKill).as("killed while sends were in flight").isLessThan(ids.size());
        assertThat(acks).extracting(a -> a.path("clientMsgId").asText()).containsExactlyElementsOf(ids);
        Map<String, Integer> counts = landed("alice", "kill-room", ids);
        assertThat(ids).allSatisfy(id -> assertThat(counts.get(id)).as(id).isEqualTo(1));
        assertThat(alice.pendingSends()).isEmpty();
        long last = acks.stream().mapToLong(a -> a.path("seq").asLong()).max().orElseThrow();
        await().atMost(Duration.ofSeconds(60)).until(() -> Long.valueOf(last).equals(alice.cursor("kill-room")));
        assertConsecutive(seen, "kill-room");
    }

    @Test
    void aRestartedClientOnTheSameStorageSendsWhatWasLeftOnce() throws Exception {
        ClientStorage storage = ClientStorage.directory(dir.resolve("bob-client"));
        ParleyClient first = client("bob", storage, new CopyOnWriteArrayList<>());
        first.start().get(120, TimeUnit.SECONDS);
        first.createChannel("reload-room", false).get(60, TimeUnit.SECONDS);
        List<String> ids = IntStream.range(0, 10).mapToObj(i -> "reload-" + i).toList();
        ids.subList(0, 5).forEach(id -> first.send("reload-room", "queued " + id, id));
        await().atMost(Duration.ofSeconds(30)).until(() -> first.pendingSends().size() + countAcked(first, ids) >= 5);
        gateway.kill();
        ids.subList(5, 10).forEach(id -> first.send("reload-room", "queued " + id, id));
        await().atMost(Duration.ofSeconds(30)).until(() -> storage.keys("outbox/").size() >= 5);
        first.close();
        List<String> left = storage.keys("outbox/");
        assertThat(left).as("unacked sends in the storage at the restart").hasSizeGreaterThanOrEqualTo(5);
        startGateway(port);

        List<JsonNode> seen = new CopyOnWriteArrayList<>();
        ParleyClient second = client("bob", storage, seen);
        second.start().get(120, TimeUnit.SECONDS);
        assertThat(second.cursor("reload-room")).as("the cursor came back from the storage").isNotNull();
        await().atMost(Duration.ofSeconds(60)).until(() -> second.pendingSends().isEmpty());
        Map<String, Integer> counts = landed("bob", "reload-room", ids);
        assertThat(ids).allSatisfy(id -> assertThat(counts.get(id)).as(id).isEqualTo(1));
        assertConsecutive(seen, "reload-room");
    }

    private static int countAcked(ParleyClient c, List<String> ids) {
        List<String> pending = c.pendingSends();
        return (int) ids.subList(0, 5).stream().filter(id -> !pending.contains(id)).count();
    }

    @Test
    void aFrameDroppedOnTheWireIsAGapThatIsFilledInOrder() throws Exception {
        List<JsonNode> carolSeen = new CopyOnWriteArrayList<>();
        AtomicInteger dropped = new AtomicInteger();
        ParleyClient carol = client("carol", ClientStorage.memory(), carolSeen,
                t -> t.contains("\"text\":\"drop me\"") && dropped.compareAndSet(0, 1));
        ParleyClient dave = client("dave", ClientStorage.memory(), new CopyOnWriteArrayList<>());
        carol.start().get(120, TimeUnit.SECONDS);
        dave.start().get(120, TimeUnit.SECONDS);
        carol.createChannel("gap-room", false).get(60, TimeUnit.SECONDS);
        dave.join("gap-room").get(60, TimeUnit.SECONDS);
        for (String text : List.of("before", "drop me", "after")) {
            dave.send("gap-room", text).get(60, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> carolSeen.stream().filter(e -> e.path("kind").asText().equals("message")).count() == 3);
        assertThat(dropped.get()).isEqualTo(1);
        assertThat(carolSeen.stream().filter(e -> e.path("kind").asText().equals("message")).map(e -> e.path("text").asText()))
                .containsExactly("before", "drop me", "after");
        assertConsecutive(carolSeen, "gap-room");
    }

    @Test
    void channelsPastTheWelcomeListAreFollowedAndResumedAndAResumePointBeyondTheHeadRestartsThere() throws Exception {
        ParleyClient owner = client("fay", ClientStorage.memory(), new CopyOnWriteArrayList<>());
        owner.start().get(120, TimeUnit.SECONDS);
        for (String ch : List.of("page-a", "page-b", "page-c", "page-d", "page-e")) {
            owner.createChannel(ch, false).get(60, TimeUnit.SECONDS);
        }
        JsonNode before = owner.send("page-e", "before", "page-e-1").get(60, TimeUnit.SECONDS);
        landed("fay", "page-e", List.of("page-e-1")); // the welcome's heads come from the read side: let it catch up

        // welcome paging (2 per welcome here): the third to fifth channels come from channels pages, at their heads
        ClientStorage storage = ClientStorage.memory();
        ParleyClient tablet = client("fay", "fay-tablet", storage, new CopyOnWriteArrayList<>(), t -> false);
        JsonNode welcome = tablet.start().get(120, TimeUnit.SECONDS);
        assertThat(welcome.path("channels")).extracting(c -> c.path("channel").asText()).containsExactly("page-a", "page-b");
        assertThat(welcome.path("more").asBoolean()).isTrue();
        long head = before.path("seq").asLong();
        await().atMost(Duration.ofSeconds(60)).until(() -> Long.valueOf(head).equals(tablet.cursor("page-e")));
        tablet.close();
        JsonNode missed = owner.send("page-e", "while the tablet was away", "page-e-2").get(60, TimeUnit.SECONDS);
        List<JsonNode> backSeen = new CopyOnWriteArrayList<>();
        client("fay", "fay-tablet", storage, backSeen, t -> false).start().get(120, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(60)).until(() -> !backSeen.isEmpty());
        assertThat(backSeen).extracting(e -> e.path("seq").asLong()).containsExactly(missed.path("seq").asLong());

        // resume_ahead: a resume point beyond the head (a client that knew a longer history) restarts at the head
        ClientStorage ahead = ClientStorage.memory();
        ahead.put("cursor/page-a", JSON.getNodeFactory().numberNode(1000L));
        List<JsonNode> aheadSeen = new CopyOnWriteArrayList<>();
        ParleyClient old = client("fay", "fay-old-phone", ahead, aheadSeen, t -> false);
        old.start().get(120, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(60)).until(() -> Long.valueOf(1).equals(old.cursor("page-a")));
        JsonNode live = owner.send("page-a", "live again", "page-a-1").get(60, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(60)).until(() -> !aheadSeen.isEmpty());
        assertThat(aheadSeen).extracting(e -> e.path("seq").asLong()).containsExactly(live.path("seq").asLong());
    }

    /**
     * docs/clients.md's Java quick start, compiled as it is (only the gateway's URL, the storage folder and the token
     * source are swapped in) and run against the stack: its message lands in the channel.
     */
    @Test
    void manyClientsOnOneClientResourcesShareItsThreadsAndReportWhenEachEventAndAckWasReceived() throws Exception {
        int n = 60;
        String channel = "shared-" + System.nanoTime();
        URI url = URI.create("ws://127.0.0.1:" + port + "/ws");
        try (ClientResources shared = ClientResources.create("it-shared", 2, 16)) {
            List<ParleyClient> all = new ArrayList<>();
            Map<Integer, List<JsonNode>> events = new HashMap<>();
            Map<Integer, List<long[]>> eventTimes = new HashMap<>();
            Map<Integer, List<JsonNode>> acks = new HashMap<>();
            Map<Integer, List<Long>> ackTimes = new HashMap<>();
            for (int i = 0; i < n; i++) {
                String user = "shared-u" + i;
                ParleyClient c = new ParleyClient(ParleyClient.Config.of(url, "shared-" + i, reason -> tokens.issue(user, Duration.ofHours(1)))
                        .withResources(shared));
                List<JsonNode> ev = new CopyOnWriteArrayList<>();
                List<long[]> evAt = new CopyOnWriteArrayList<>();
                List<JsonNode> ak = new CopyOnWriteArrayList<>();
                List<Long> akAt = new CopyOnWriteArrayList<>();
                c.onEventReceived((e, at) -> {
                    ev.add(e);
                    evAt.add(new long[] {at, System.nanoTime()});
                });
                c.onAckReceived((a, at) -> {
                    ak.add(a);
                    akAt.add(at);
                });
                c.dropIncoming(text -> {
                    FrameLog.received(text);
                    return false;
                });
                events.put(i, ev);
                eventTimes.put(i, evAt);
                acks.put(i, ak);
                ackTimes.put(i, akAt);
                all.add(c);
                clients.add(c);
            }
            all.get(0).start().get(60, TimeUnit.SECONDS);
            all.get(0).createChannel(channel, false).get(60, TimeUnit.SECONDS);
            CompletableFuture.allOf(all.subList(1, n).stream().map(ParleyClient::start).toArray(CompletableFuture[]::new))
                    .get(120, TimeUnit.SECONDS);
            CompletableFuture.allOf(all.subList(1, n).stream().map(c -> c.join(channel)).toArray(CompletableFuture[]::new))
                    .get(120, TimeUnit.SECONDS);
            List<CompletableFuture<JsonNode>> sent = new ArrayList<>();
            long[] settledAt = new long[n];
            for (int i = 0; i < n; i++) {
                int k = i;
                sent.add(all.get(i).send(channel, "hello from " + i, "shared-m" + i).whenComplete((a, e) -> settledAt[k] = System.nanoTime()));
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);

            for (int i = 0; i < n; i++) {
                // every client: each send of its own acknowledged once, with the seq its send returned
                assertThat(acks.get(i)).extracting(a -> a.path("clientMsgId").asText()).containsExactly("shared-m" + i);
                assertThat(acks.get(i).get(0).path("seq").asLong()).isEqualTo(sent.get(i).join().path("seq").asLong());
                assertThat(ackTimes.get(i).get(0)).as("received before it was handed over").isLessThanOrEqualTo(settledAt[i]);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> IntStream.range(0, n).allMatch(i -> messages(events.get(i), channel) == n));
            for (int i = 0; i < n; i++) {
                assertConsecutive(events.get(i), channel);
                assertThat(eventTimes.get(i)).allSatisfy(t -> assertThat(t[0]).isLessThanOrEqualTo(t[1]));
            }
            // one loop and one WebSocket client for all of them: no thread of the client's own per client
            List<String> threads = Thread.getAllStackTraces().keySet().stream().map(Thread::getName).toList();
            assertThat(threads.stream().filter(t -> t.startsWith("parley-client-shared-"))).isEmpty();
            assertThat(threads.stream().filter(t -> t.startsWith("it-shared-") && !t.startsWith("it-shared-io"))).hasSizeLessThanOrEqualTo(2);
            assertThat(threads.stream().filter(t -> t.startsWith("it-shared-io"))).hasSizeLessThanOrEqualTo(16);
            all.forEach(ParleyClient::close);
        }
    }

    private static long messages(List<JsonNode> events, String channel) {
        return events.stream().filter(e -> e.path("channel").asText().equals(channel) && e.path("kind").asText().equals("message")).count();
    }

    @Test
    void theJavaQuickStartOfTheDocsRuns() throws Exception {
        String doc = Files.readString(Path.of("").toAbsolutePath().resolve("../docs/clients.md").normalize());
        Matcher m = Pattern.compile("<!-- quickstart: java-service -->\\s*```java\\n([\\s\\S]*?)```").matcher(doc);
        assertThat(m.find()).as("docs/clients.md has the Java quick start").isTrue();
        String snippet = m.group(1);
        assertThat(snippet.strip().lines()).as("at most 15 lines").hasSizeLessThanOrEqualTo(15);
        ParleyClient owner = client("ivo", ClientStorage.memory(), new CopyOnWriteArrayList<>());
        owner.start().get(120, TimeUnit.SECONDS);
        owner.createChannel("invoices", false).get(60, TimeUnit.SECONDS);

        String source = """
                package quickstart;
                import dev.parley.client.*;
                import java.net.URI;
                import java.nio.file.Path;
                import java.util.concurrent.TimeUnit;
                public class QuickStart {
                    public interface Tokens { String fetch(); }
                    public static void run(Tokens tokens) throws Exception {
                %s
                        client.close();
                    }
                }
                """.formatted(snippet.replace("ws://127.0.0.1:8080/ws", "ws://127.0.0.1:" + port + "/ws")
                .replace("/var/lib/billing/parley", dir.resolve("billing").toString()));
        Path src = Files.createDirectories(dir.resolve("quickstart/src/quickstart"));
        Path out = Files.createDirectories(dir.resolve("quickstart/classes"));
        Files.writeString(src.resolve("QuickStart.java"), source);
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", out.toString(), "-cp", classpath,
                src.resolve("QuickStart.java").toString());
        assertThat(compiled).as("the quick start compiles:%n%s", source).isZero();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {out.toUri().toURL()}, getClass().getClassLoader())) {
            Class<?> quickStart = loader.loadClass("quickstart.QuickStart");
            Class<?> tokenSource = loader.loadClass("quickstart.QuickStart$Tokens");
            Object fetch = java.lang.reflect.Proxy.newProxyInstance(loader, new Class<?>[] {tokenSource},
                    (proxy, method, args) -> tokens.issue("billing-svc", Duration.ofHours(1)));
            quickStart.getMethod("run", tokenSource).invoke(null, fetch);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> messagesOf("ivo", "invoices").contains("billing-svc: invoice 42 paid"));
    }

    private List<String> messagesOf(String user, String channel) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/channels/" + channel
                + "/events?after=0&limit=1000")).header("Authorization", "Bearer " + tokens.issue(user, Duration.ofHours(1))).build();
        List<String> out = new ArrayList<>();
        for (JsonNode e : JSON.readTree(HTTP.send(req, HttpResponse.BodyHandlers.ofString()).body()).path("events")) {
            if (e.path("kind").asText().equals("message")) {
                out.add(e.path("user").asText() + ": " + e.path("text").asText());
            }
        }
        return out;
    }

    /** 1..n as a list. */
    private static final class LongRangeList {
        static List<Long> of(long from, long count) {
            return java.util.stream.LongStream.range(from, from + count).boxed().toList();
        }
    }
}
