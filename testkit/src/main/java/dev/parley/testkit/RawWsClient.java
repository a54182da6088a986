package dev.parley.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The tests' raw WebSocket client of a gateway (the JDK's java.net.http): it sends any text or binary frame as given
 * (malformed ones, pipelined ones, a connection that never says hello) and records every frame it receives, each also
 * appended to the {@link FrameLog} for the contract test. With {@code reading=false} it stops reading after the first
 * frames, like a client that cannot keep up. For what a client application does (reconnects, resume from its own
 * cursors, retries with the same key, welcome paging) tests use Parley's Java client instead (docs/clients.md).
 */
public final class RawWsClient implements AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper();

    private final List<JsonNode> frames = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket ws;
    private final AtomicInteger ids = new AtomicInteger();
    /** Idempotency keys are per (channel, user) for a day: unique across connections and test runs. */
    private final String keyPrefix = UUID.randomUUID().toString().substring(0, 8);
    private volatile boolean reading;
    private volatile String closeReason;

    private RawWsClient(URI uri, boolean reading) {
        this.reading = reading;
        this.ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, new Listener()).orTimeout(10, TimeUnit.SECONDS).join();
    }

    public static RawWsClient connect(URI uri) {
        return new RawWsClient(uri, true);
    }

    /** A client that reads its first frames and then stops reading (TCP backpressure reaches the server). */
    public static RawWsClient connectNotReading(URI uri) {
        return new RawWsClient(uri, false);
    }

    private final class Listener implements WebSocket.Listener {
        private int received;

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    FrameLog.received(partial.toString());
                    JsonNode n = JSON.readTree(partial.toString());
                    synchronized (frames) {
                        frames.add(n);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("server sent a frame that is not JSON: " + partial, e);
                }
                partial.setLength(0);
                received++;
            }
            if (reading || received < 3) {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeReason = reason;
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(1006);
        }
    }

    /** A non-reading client starts reading again: everything queued for it arrives. */
    public void resumeReading() {
        reading = true;
        ws.request(Long.MAX_VALUE);
    }

    public void sendRaw(String text) {
        ws.sendText(text, true).join();
    }

    public void sendBinary(byte[] data) {
        ws.sendBinary(java.nio.ByteBuffer.wrap(data), true).join();
    }

    public void send(Map<String, ?> frame) {
        sendRaw(JSON.valueToTree(frame).toString());
    }

    public void send(ObjectNode frame) {
        sendRaw(frame.toString());
    }

    public JsonNode hello(String token, String device, Map<String, Long> resume) {
        return hello(token, device, resume, Map.of());
    }

    /** A hello with more fields (e.g. {@code "batch":true}). */
    public JsonNode hello(String token, String device, Map<String, Long> resume, Map<String, ?> more) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "hello");
        n.put("token", token);
        n.put("device", device);
        if (resume != null) {
            ObjectNode r = n.putObject("resume");
            resume.forEach(r::put);
        }
        n.setAll((ObjectNode) JSON.valueToTree(more));
        send(n);
        return await(f -> f.path("type").asText().equals("welcome") || f.path("type").asText().equals("error"));
    }

    /** Connects and says hello as the token's user on {@code device}; returns once welcomed (fails on an error). */
    public static RawWsClient connect(URI uri, String token, String device) {
        RawWsClient c = connect(uri);
        JsonNode w = c.hello(token, device, null);
        if (!w.path("type").asText().equals("welcome")) {
            c.close();
            throw new AssertionError("hello refused: " + w);
        }
        return c;
    }

    /** A frame of a type, to fill in. */
    public static ObjectNode frame(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    /** Sends a request with a fresh requestId and waits for its {@code ok}; fails on an {@code error}. */
    public JsonNode command(ObjectNode frame) {
        String id = "r-" + keyPrefix + "-" + ids.incrementAndGet();
        send(frame.put("requestId", id));
        JsonNode reply = reply("requestId", id);
        if (!reply.path("type").asText().equals("ok")) {
            throw new AssertionError("command " + frame + " failed: " + reply);
        }
        return reply;
    }

    /** Sends a message with a fresh clientMsgId and waits for its {@code ack} (after commit); fails on an error. */
    public JsonNode sendMessage(String channel, String text) {
        String id = "c-" + keyPrefix + "-" + ids.incrementAndGet();
        send(frame("send").put("channel", channel).put("clientMsgId", id).put("text", text));
        JsonNode reply = reply("clientMsgId", id);
        if (!reply.path("type").asText().equals("ack")) {
            throw new AssertionError("send to " + channel + " failed: " + reply);
        }
        return reply;
    }

    /** Waits for the first frame that matches, received at any time. */
    public JsonNode await(Predicate<JsonNode> match) {
        JsonNode[] found = new JsonNode[1];
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
            synchronized (frames) {
                for (JsonNode f : frames) {
                    if (match.test(f)) {
                        found[0] = f;
                        return true;
                    }
                }
            }
            return false;
        });
        return found[0];
    }

    public JsonNode awaitType(String type, String idField, String id) {
        return await(f -> f.path("type").asText().equals(type) && (idField == null || f.path(idField).asText().equals(id)));
    }

    /** Sends a frame that carries a {@code requestId} and waits for the reply to it (ack, ok or error). */
    public JsonNode request(Map<String, ?> frame) {
        send(frame);
        return reply("requestId", (String) frame.get("requestId"));
    }

    /** A reply (ack, ok or error) to a request id. */
    public JsonNode reply(String idField, String id) {
        return await(f -> f.path(idField).asText().equals(id) && !f.path("type").asText().equals("event"));
    }

    public List<JsonNode> frames() {
        synchronized (frames) {
            return List.copyOf(frames);
        }
    }

    public List<JsonNode> events(String channel) {
        return frames().stream().filter(f -> f.path("type").asText().equals("event") && f.path("channel").asText().equals(channel)).toList();
    }

    public List<Long> seqs(String channel) {
        return events(channel).stream().map(f -> f.path("seq").asLong()).toList();
    }

    /** Every event of the channel received, alone or in a live {@code events} batch, in arrival order. */
    public List<JsonNode> delivered(String channel) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode f : frames()) {
            if (!f.path("channel").asText().equals(channel)) {
                continue;
            }
            if (f.path("type").asText().equals("event")) {
                out.add(f);
            } else if (f.path("type").asText().equals("events") && f.path("live").asBoolean()) {
                f.path("events").forEach(out::add);
            }
        }
        return out;
    }

    public List<Long> deliveredSeqs(String channel) {
        return delivered(channel).stream().map(f -> f.path("seq").asLong()).toList();
    }

    /** Waits until at least n events of the channel arrived, alone or in batches. */
    public List<Long> awaitDelivered(String channel, int n) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> delivered(channel).size() >= n);
        return deliveredSeqs(channel);
    }

    /** Waits until at least n events of the channel arrived. */
    public List<JsonNode> awaitEvents(String channel, int n) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> events(channel).size() >= n);
        return events(channel);
    }

    public int awaitClose() {
        return closed.orTimeout(60, TimeUnit.SECONDS).join();
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    public String closeReason() {
        return closeReason;
    }

    @Override
    public void close() {
        if (!closed.isDone()) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
            ws.abort();
        }
    }

    /** Drops the TCP connection without a close handshake (a network cut). */
    public void abort() {
        ws.abort();
    }
}
