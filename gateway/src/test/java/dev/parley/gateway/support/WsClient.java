package dev.parley.gateway.support;


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
import java.util.function.Predicate;

/**
 * A real WebSocket client (the JDK's java.net.http) that records every frame it receives. With
 * {@code reading=false} it stops reading after the first frames, like a client that cannot keep up.
 */
public final class WsClient implements AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper();

    private final List<JsonNode> frames = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket ws;
    private volatile boolean reading;
    private volatile String closeReason;

    private WsClient(URI uri, boolean reading) {
        this.reading = reading;
        this.ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, new Listener()).orTimeout(10, TimeUnit.SECONDS).join();
    }

    public static WsClient connect(URI uri) {
        return new WsClient(uri, true);
    }

    /** A client that reads its first frames and then stops reading (TCP backpressure reaches the server). */
    public static WsClient connectNotReading(URI uri) {
        return new WsClient(uri, false);
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
                    dev.parley.testkit.FrameLog.received(partial.toString());
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
