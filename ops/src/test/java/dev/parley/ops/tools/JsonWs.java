package dev.parley.ops.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A minimal JSON WebSocket client (the JDK's) for driving the gateway from ops tests. */
final class JsonWs implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    private final WebSocket ws;
    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();

    JsonWs(URI uri) {
        this.ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            try {
                                dev.parley.testkit.FrameLog.received(partial.toString());
                                frames.add(JSON.readTree(partial.toString()));
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                            partial.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }
                }).join();
    }

    void send(Object frame) {
        try {
            sendRaw(frame instanceof String s ? s : JSON.writeValueAsString(frame));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    void sendRaw(String text) {
        ws.sendText(text, true).join();
    }

    /** The next frame matching, skipping others; fails after 60 s. */
    JsonNode next(java.util.function.Predicate<JsonNode> match) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                JsonNode f = frames.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (f != null && match.test(f)) {
                    return f;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("no matching frame within 60 s");
    }

    JsonNode next(String type) {
        return next(f -> f.path("type").asText().equals(type));
    }

    @Override
    public void close() {
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }
}
