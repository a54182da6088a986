package dev.parley.notifier.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;


/** A real WebSocket client of a gateway (the JDK's), speaking docs/protocol.md and recording every frame. */
public final class Ws implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    private final List<JsonNode> frames = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private final AtomicInteger ids = new AtomicInteger();
    // Keys are idempotency keys per (channel, user) for a day: unique across connections, or a command is a "duplicate"
    private final String keyPrefix = java.util.UUID.randomUUID().toString().substring(0, 8);
    private final WebSocket ws;

    private Ws(URI uri) {
        this.ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, new WebSocket.Listener() {
                    @Override
                    public void onOpen(WebSocket webSocket) {
                        webSocket.request(1);
                    }

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            try {
                                JsonNode f = JSON.readTree(partial.toString());
                                synchronized (frames) {
                                    frames.add(f);
                                }
                            } catch (Exception ignored) {
                                // not JSON: not ours
                            }
                            partial.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }
                }).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** Connects and says hello as {@code user} on {@code device}; returns once welcomed. */
    public static Ws connect(URI wsUrl, String token, String device) {
        Ws c = new Ws(wsUrl);
        ObjectNode hello = JSON.createObjectNode().put("type", "hello").put("token", token).put("device", device);
        c.send(hello);
        c.await(f -> f.path("type").asText().equals("welcome"));
        return c;
    }

    public void send(ObjectNode frame) {
        ws.sendText(frame.toString(), true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** Sends a command frame with a fresh requestId and waits for its ok; returns the ok. */
    public JsonNode command(ObjectNode frame) {
        String id = "r-" + keyPrefix + "-" + ids.incrementAndGet();
        send(frame.put("requestId", id));
        JsonNode reply = await(f -> id.equals(f.path("requestId").asText())
                && (f.path("type").asText().equals("ok") || f.path("type").asText().equals("error")));
        if (!reply.path("type").asText().equals("ok")) {
            throw new AssertionError("command " + frame + " failed: " + reply);
        }
        return reply;
    }

    /** Sends a message and waits for its ack (after commit); returns the ack. */
    public JsonNode sendMessage(String channel, String text) {
        String id = "c-" + keyPrefix + "-" + ids.incrementAndGet();
        send(JSON.createObjectNode().put("type", "send").put("channel", channel).put("clientMsgId", id).put("text", text));
        JsonNode reply = await(f -> id.equals(f.path("clientMsgId").asText())
                && (f.path("type").asText().equals("ack") || f.path("type").asText().equals("error")));
        if (!reply.path("type").asText().equals("ack")) {
            throw new AssertionError("send to " + channel + " failed: " + reply);
        }
        return reply;
    }

    public static ObjectNode frame(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    /** The first frame (already received or to come) matching {@code p}. */
    public JsonNode await(Predicate<JsonNode> p) {
        JsonNode[] found = new JsonNode[1];
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
            synchronized (frames) {
                for (JsonNode f : frames) {
                    if (p.test(f)) {
                        found[0] = f;
                        return true;
                    }
                }
            }
            return false;
        });
        return found[0];
    }

    @Override
    public void close() {
        try {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).join();
        } catch (RuntimeException ignored) {
            // already gone
        }
        ws.abort();
    }
}
