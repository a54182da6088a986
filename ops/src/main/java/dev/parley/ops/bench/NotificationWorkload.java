package dev.parley.ops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.parley.notifier.delivery.WebhookEndpoint;
import dev.parley.notifier.delivery.WebhookSigner;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * NT, offline notifications: W1's shape (100 channels x 2 members online, open loop at 2,000 x scale sends/s)
 * where one send in ten mentions one of the channel's 10 offline members. A notifier child JVM delivers to a
 * signature-verifying webhook receiver in this JVM, which times each notification from its first message's
 * commit ({@code firstAt}) and from its due time. Two phases with the same load: a healthy receiver, then an
 * outage (500s, then a hang) — send->ack of the two is compared (a notifier in trouble must not slow sends),
 * and after the outage the time to deliver the backlog is measured. Run it on its own
 * ({@code --workloads NT}): the notifier reads the log from the beginning.
 */
final class NotificationWorkload {

    static final double RATE = 2_000;
    static final int OFFLINE_PER_CHANNEL = 10;
    static final String DELAY = "1s";
    static final double MAX_OUTAGE_RATIO = 1.2;
    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(
            "parley bench webhook secret 32by".getBytes(StandardCharsets.UTF_8));

    private NotificationWorkload() {
    }

    /** The benchmark's webhook receiver: verifies, dedupes on the id, times, and fails on demand. */
    static final class Receiver implements AutoCloseable {
        private static final ObjectMapper JSON = new ObjectMapper();
        final HttpServer server;
        final ExecutorService executor = Executors.newFixedThreadPool(32);
        final byte[] key = WebhookEndpoint.key(SECRET);
        final Set<String> ids = ConcurrentHashMap.newKeySet();
        final AtomicLong calls = new AtomicLong();
        final AtomicLong messages = new AtomicLong();
        final AtomicLong unverified = new AtomicLong();
        volatile LatencyRecorder commitToWebhook;
        volatile LatencyRecorder dueToWebhook;
        volatile long windowFrom = Long.MAX_VALUE;
        volatile long windowTo = Long.MAX_VALUE;
        volatile int failWith;
        volatile CountDownLatch hang;

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
            server.setExecutor(executor);
            server.createContext("/hook", this::handle);
            server.start();
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
        }

        private void handle(HttpExchange ex) throws IOException {
            long now = System.currentTimeMillis();
            calls.incrementAndGet();
            byte[] body = ex.getRequestBody().readAllBytes();
            CountDownLatch h = hang;
            if (h != null) {
                try {
                    h.await(120, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                answer(ex, 503);
                return;
            }
            if (failWith != 0) {
                answer(ex, failWith);
                return;
            }
            String id = ex.getRequestHeaders().getFirst(WebhookSigner.ID);
            if (!WebhookSigner.verify(key, id, ex.getRequestHeaders().getFirst(WebhookSigner.TIMESTAMP), body,
                    ex.getRequestHeaders().getFirst(WebhookSigner.SIGNATURE), now / 1000, 300)) {
                unverified.incrementAndGet();
                answer(ex, 401);
                return;
            }
            if (ids.add(id)) {
                JsonNode n = JSON.readTree(body);
                long firstAt = Instant.parse(n.path("firstAt").asText()).toEpochMilli();
                messages.addAndGet(n.path("count").asLong());
                if (firstAt >= windowFrom && firstAt < windowTo) {
                    LatencyRecorder c = commitToWebhook;
                    LatencyRecorder d = dueToWebhook;
                    if (c != null) {
                        c.recordMicros((now - firstAt) * 1000);
                        d.recordMicros((now - firstAt - Duration.parse("PT" + DELAY.toUpperCase()).toMillis()) * 1000);
                    }
                }
            }
            answer(ex, 204);
        }

        private static void answer(HttpExchange ex, int status) {
            try {
                ex.sendResponseHeaders(status, -1);
            } catch (IOException gone) {
                // the notifier timed out and left
            } finally {
                ex.close();
            }
        }

        void recover() {
            failWith = 0;
            CountDownLatch h = hang;
            hang = null;
            if (h != null) {
                h.countDown();
            }
        }

        @Override
        public void close() {
            recover();
            server.stop(0);
            executor.shutdownNow();
        }
    }

    static void run(BenchContext ctx) throws Exception {
        if (ctx.registryUrl == null) {
            throw new IllegalStateException("NT needs the embedded system (it starts a notifier next to it)");
        }
        double rate = RATE * Math.min(1.0, ctx.scale);
        try (Receiver receiver = new Receiver(); ClientPool pool = ctx.pool()) {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("PARLEY_BOOTSTRAP_SERVERS", ctx.bootstrapServers);
            env.put("PARLEY_SCHEMA_REGISTRY_URL", ctx.registryUrl);
            env.put("PARLEY_NOTIFIER_APPLICATION_ID", "parley-notifier-" + ctx.tag);
            env.put("PARLEY_NOTIFIER_STATE_DIR", ctx.logDir.resolve("notifier-state").toString());
            env.put("PARLEY_NOTIFIER_PORT", "0");
            env.put("PARLEY_NOTIFIER_INSTANCE", "bench");
            env.put("PARLEY_NOTIFIER_DELAY", DELAY);
            env.put("PARLEY_NOTIFIER_WEBHOOKS", "bench=" + receiver.url());
            env.put("PARLEY_NOTIFIER_WEBHOOK_SECRET_" + WebhookEndpoint.envName("bench"), SECRET);
            env.put("PARLEY_NOTIFIER_WEBHOOK_TIMEOUT", "2s");
            env.put("PARLEY_NOTIFIER_RETRY_MAX_ATTEMPTS", "1000"); // the outage must not dead-letter: the backlog is measured
            env.put("PARLEY_NOTIFIER_RETRY_MAX_BACKOFF", "5s");
            env.put("PARLEY_NOTIFIER_CIRCUIT_OPEN", "2s");
            ChildProcess notifier = ctx.launcher.start("notifier", env);
            notifier.awaitReady(Duration.ofSeconds(180));
            ctx.processes.put("notifier", StatsSource.of(notifier));

            ctx.log("NT: setting up 100 channels x 2 members online and %d offline members each", OFFLINE_PER_CHANNEL);
            Rooms rooms = Rooms.setup(pool, ctx.tag + "-nt", 100, 2, Duration.ofSeconds(120));
            List<List<String>> offline = new ArrayList<>();
            for (int c = 0; c < rooms.channels.size(); c++) {
                List<String> users = new ArrayList<>();
                for (int k = 0; k < OFFLINE_PER_CHANNEL; k++) {
                    users.add(ctx.tag + "-nt-off" + c + "x" + k);
                }
                offline.add(users);
                addMembers(rooms.members.get(c).get(0), rooms.channels.get(c), users);
            }
            ThroughputWorkload.warmUp(ctx, rooms, ctx.warmup);

            // The notifier's own JIT warm-up (its decisions and deliveries), not measured: the system's warm-up sends
            // mention nobody. Its notifications are delivered before the measured phases begin.
            Phase warm = phase(ctx, rooms, offline, receiver, rate, "NT-warm-up", null);
            long deadlineWarm = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (receiver.messages.get() < warm.mentions && System.nanoTime() < deadlineWarm) {
                Thread.sleep(200);
            }
            Phase healthy = phase(ctx, rooms, offline, receiver, rate, "NT", null);
            Phase outage = phase(ctx, rooms, offline, receiver, rate, "NT-outage", receiver);
            long recovered = System.nanoTime();
            receiver.recover();
            long expected = warm.mentions + healthy.mentions + outage.mentions;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (receiver.messages.get() < expected && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            double drain = (System.nanoTime() - recovered) / 1e9;

            Results r = ctx.results;
            r.latency(healthy.tracker.ack);
            r.latency(outage.tracker.ack);
            r.latency(healthy.commitToWebhook);
            r.latency(healthy.dueToWebhook);
            r.put("NT.offered_per_s", rate);
            r.put("NT.mentions", expected);
            r.put("NT.notifications", receiver.ids.size());
            r.put("NT.messages_notified", receiver.messages.get());
            r.put("NT.unverified", receiver.unverified.get());
            r.put("NT.backlog_drain_s", drain);
            r.put("NT.errors", healthy.tracker.errors.get() + outage.tracker.errors.get());
            r.ledgers.put("NT", healthy.totals);
            r.ledgers.put("NT-outage", outage.totals);
            ctx.log("NT: healthy ack %s | outage ack %s | commit->webhook %s | due->webhook %s | %d mentions, %d messages in %d "
                            + "notifications, backlog drained %.1f s after recovery",
                    healthy.tracker.ack.summary(), outage.tracker.ack.summary(), healthy.commitToWebhook.summary(),
                    healthy.dueToWebhook.summary(), expected, receiver.messages.get(), receiver.ids.size(), drain);
        }
    }

    /** add_member for each user, each sent again with its requestId after a retryable failure. */
    private static void addMembers(Member owner, String channel, List<String> users) throws Exception {
        List<CompletableFuture<JsonNode>> replies = new ArrayList<>();
        for (String user : users) {
            replies.add(Rooms.served(owner, JsonNodeFactory.instance.objectNode().put("type", "add_member").put("channel", channel)
                    .put("user", user).put("requestId", channel + "-add-" + user), 20));
        }
        Rooms.awaitOk(replies, Duration.ofSeconds(120), "add offline members to " + channel);
    }

    /** {@code mentions}: mentions whose send was acked (committed), each to be notified. */
    private record Phase(MessageTracker tracker, long mentions, DeliveryLedger.Totals totals, LatencyRecorder commitToWebhook,
                         LatencyRecorder dueToWebhook) {
    }

    /** One window of load; with {@code failing}, the receiver answers 500 for its first half and hangs for the rest. */
    private static Phase phase(BenchContext ctx, Rooms rooms, List<List<String>> offline, Receiver receiver, double rate,
                               String name, Receiver failing) throws Exception {
        String prefix = name.toLowerCase(java.util.Locale.ROOT) + ".";
        MessageTracker t = new MessageTracker(name, prefix, false);
        LatencyRecorder commitToWebhook = new LatencyRecorder(name + " commit->webhook");
        LatencyRecorder dueToWebhook = new LatencyRecorder(name + " due->webhook (beyond the " + DELAY + " delay)");
        AtomicLong ackedMentions = new AtomicLong();
        Member.Handler handler = new Member.Handler() {
            public void onEvent(Member m, JsonNode event, long now) {
                t.onEvent(m, event, now);
            }

            public void onAck(Member m, JsonNode ack, long now) {
                t.onAck(m, ack, now);
                if (SendLog.indexOf(ack.path("clientMsgId").asText(null), prefix) % 10 == 0) {
                    ackedMentions.incrementAndGet(); // a committed mention: the notifier must deliver it
                }
            }
        };
        rooms.all().forEach(c -> {
            c.after = c.lastSeq;
            c.handler = handler;
        });
        long start = System.nanoTime() + 200_000_000L;
        long windowStart = start + ctx.warmup.toNanos();
        long windowEnd = windowStart + ctx.duration.toNanos();
        t.window(windowStart, windowEnd);
        long wallStart = System.currentTimeMillis() + 200 + ctx.warmup.toMillis();
        if (failing == null && !name.endsWith("warm-up")) {
            receiver.commitToWebhook = commitToWebhook;
            receiver.dueToWebhook = dueToWebhook;
            receiver.windowFrom = wallStart;
            receiver.windowTo = wallStart + ctx.duration.toMillis();
        } else {
            receiver.windowFrom = Long.MAX_VALUE;
            if (failing != null) {
                failing.failWith = 500;
            }
        }
        var cpu = Window.between(ctx.processes, windowStart, windowEnd);
        long count = (long) (rate * (ctx.warmup.toNanos() + ctx.duration.toNanos()) / 1e9);
        int channels = rooms.channels.size();
        AtomicLong mentions = new AtomicLong();
        ctx.log("%s: %d sends at %.0f/s, 10%% mentioning an offline member%s", name, count, rate,
                failing == null ? "" : "; the webhook answers 500, then hangs");
        Progress progress = Progress.start(ctx, name, t);
        long half = count / 2;
        Pacer.run(start, rate, count, (i, due) -> {
            if (failing != null && i == half) {
                failing.hang = new CountDownLatch(1);
            }
            t.sends.set(i, due);
            int c = (int) (i % channels);
            Member sender = rooms.members.get(c).get((int) ((i / channels) % 2));
            String text = BenchContext.TEXT;
            if (i % 10 == 0) {
                List<String> off = offline.get(c);
                text = "@" + off.get((int) ((i / channels / 10) % off.size())) + " " + text;
                mentions.incrementAndGet();
            }
            t.send(sender, rooms.channels.get(c), i, text);
        });
        DeliveryLedger.Totals totals = t.drain(count, Duration.ofSeconds(30));
        progress.stop();
        ctx.results.processes.put(name, cpu.get());
        if (t.lastError != null) {
            ctx.results.note(name + " error frame, e.g. " + t.lastError);
        }
        ctx.log("%s: ack %s | %s", name, t.ack.summary(), totals);
        ctx.log("%s: %d mentions sent, %d committed", name, mentions.get(), ackedMentions.get());
        return new Phase(t, ackedMentions.get(), totals, commitToWebhook, dueToWebhook);
    }

    /** NT's targets: notifications delivered, and sends not slowed by a webhook outage. */
    static List<Targets.Verdict> verdicts(Results r) {
        List<Targets.Verdict> out = new ArrayList<>();
        LatencyRecorder.Summary healthy = r.latencies.get("NT send->ack");
        LatencyRecorder.Summary outage = r.latencies.get("NT-outage send->ack");
        if (healthy == null || outage == null) {
            return out;
        }
        double ratio = outage.p99() / healthy.p99();
        out.add(new Targets.Verdict("NT outage", "send->ack p99 during a webhook outage <= 1.2x without",
                Targets.f("%.1f ms vs %.1f ms = %.2fx", outage.p99(), healthy.p99(), ratio), ratio <= MAX_OUTAGE_RATIO));
        LatencyRecorder.Summary delay = r.latencies.get("NT commit->webhook");
        double mentions = r.get("NT.mentions");
        double notified = r.get("NT.messages_notified");
        out.add(new Targets.Verdict("NT delivery", "every mention of an offline user notified, signatures valid",
                Targets.f("%.0f of %.0f mentions in %.0f notifications; commit->webhook p50 %.0f ms, p99 %.0f ms (delay %s)",
                        notified, mentions, r.get("NT.notifications"), delay == null ? Double.NaN : delay.p50(),
                        delay == null ? Double.NaN : delay.p99(), DELAY),
                notified >= mentions && r.get("NT.unverified") == 0));
        return out;
    }
}
