package dev.parley.ops.bench;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One simulated client connection (a user's device) of the load generator. Frames it receives go to its
 * {@link Handler} on Jetty's client threads, one at a time per connection; replies to requests
 * ({@code ok}/{@code error} with a requestId) and the {@code welcome} also complete futures.
 */
public final class BenchClient implements Session.Listener.AutoDemanding {

    /** Sees every frame this connection receives. */
    interface Handler {
        void onFrame(BenchClient client, String type, String frame, long nowNanos);

        Handler NONE = (c, t, f, n) -> { };
    }

    final String user;
    final String device;
    final String key;
    private volatile Session session;
    volatile Handler handler = Handler.NONE;
    final CompletableFuture<String> welcome = new CompletableFuture<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final Map<String, CompletableFuture<String>> replies = new ConcurrentHashMap<>();
    final AtomicLong errorFrames = new AtomicLong();
    final AtomicLong sendFailures = new AtomicLong();
    volatile String lastError;
    volatile long lastSeq;
    /** The channel this client sends to (set by {@link Rooms}). */
    volatile String home;
    volatile long helloSentNanos;
    /** The seq up to which this connection needs nothing (its ledger streams expect only later acked seqs). */
    volatile long after;
    /** The ledger stream of {@link #home} in {@link #homeLedger} (looked up once, not per frame). */
    DeliveryLedger.Stream homeStream;
    DeliveryLedger homeLedger;
    /** Users whose presence the hello asks to watch (null: none). */
    volatile java.util.List<String> watch;
    /** Whether the hello asks for batched delivery ({@code "batch":true}: live {@code events} frames). */
    volatile boolean batch;
    /** {@code user"}: how the user ends in a frame's {@code "user":"..."} field. */
    final String userQuoted;

    BenchClient(String user, String device) {
        this.user = user;
        this.device = device;
        this.key = user + "/" + device;
        this.userQuoted = user + "\"";
    }

    @Override
    public void onWebSocketOpen(Session s) {
        session = s;
    }

    @Override
    public void onWebSocketText(String text) {
        long now = System.nanoTime();
        String type = FrameFields.type(text);
        switch (type) {
            case "welcome" -> welcome.complete(text);
            case "ok" -> complete(FrameFields.str(text, "requestId"), text);
            case "error" -> {
                errorFrames.incrementAndGet();
                lastError = text;
                String id = FrameFields.str(text, "requestId");
                if (id != null) {
                    complete(id, text);
                } else if (!welcome.isDone()) {
                    welcome.complete(text);
                }
            }
            default -> {
                // handled below
            }
        }
        handler.onFrame(this, type, text, now);
    }

    private void complete(String requestId, String frame) {
        if (requestId != null) {
            CompletableFuture<String> f = replies.remove(requestId);
            if (f != null) {
                f.complete(frame);
            }
        }
    }

    @Override
    public void onWebSocketClose(int code, String reason) {
        closed.complete(code);
        if (!welcome.isDone()) {
            welcome.completeExceptionally(new IllegalStateException("closed " + code + " " + reason + " before welcome"));
        }
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        if (!welcome.isDone()) {
            welcome.completeExceptionally(cause);
        }
        closed.complete(1006);
    }

    boolean isOpen() {
        Session s = session;
        return s != null && s.isOpen();
    }

    void send(String text) {
        Session s = session;
        if (s == null) {
            sendFailures.incrementAndGet();
            return;
        }
        s.sendText(text, Callback.from(() -> { }, e -> sendFailures.incrementAndGet()));
    }

    /** Sends a frame carrying {@code requestId} and completes with the {@code ok} or {@code error} answering it. */
    CompletableFuture<String> request(String requestId, String frame) {
        CompletableFuture<String> f = new CompletableFuture<>();
        replies.put(requestId, f);
        send(frame);
        return f;
    }

    /**
     * {@link #request}, sent again with the same {@code requestId} while the gateway refuses it without
     * carrying it out ({@code overloaded}, {@code rate_limited}: a busy machine during set-up), after the
     * {@code retryAfterMs} it names, at most {@code attempts} times; completes with the last answer.
     */
    CompletableFuture<String> requestServed(String requestId, String frame, int attempts) {
        return request(requestId, frame).thenCompose(reply -> {
            String code = FrameFields.type(reply).equals("error") ? FrameFields.str(reply, "code") : null;
            if (attempts <= 1 || !("overloaded".equals(code) || "rate_limited".equals(code))) {
                return CompletableFuture.completedFuture(reply);
            }
            long wait = Math.max(100, FrameFields.num(reply, "retryAfterMs", 1000));
            return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(wait, TimeUnit.MILLISECONDS))
                    .thenCompose(x -> requestServed(requestId, frame, attempts - 1));
        });
    }

    void hello(String token, Map<String, Long> resume) {
        helloSentNanos = System.nanoTime();
        StringBuilder sb = new StringBuilder("{\"type\":\"hello\",\"token\":\"").append(token).append("\",\"device\":\"")
                .append(device).append('"');
        if (batch) {
            sb.append(",\"batch\":true");
        }
        if (resume != null && !resume.isEmpty()) {
            sb.append(",\"resume\":{");
            boolean first = true;
            for (var e : resume.entrySet()) {
                sb.append(first ? "" : ",").append('"').append(e.getKey()).append("\":").append(e.getValue());
                first = false;
            }
            sb.append('}');
        }
        java.util.List<String> w = watch;
        if (w != null) {
            sb.append(",\"presence\":[");
            for (int i = 0; i < w.size(); i++) {
                sb.append(i == 0 ? "" : ",").append('"').append(w.get(i)).append('"');
            }
            sb.append(']');
        }
        send(sb.append('}').toString());
    }

    /** Gone without a close handshake, like a network cut. */
    void disconnect() {
        Session s = session;
        if (s != null) {
            s.disconnect();
        }
    }

    void close() {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.close(1000, "bye", Callback.NOOP);
        }
    }

    static String send(String channel, String clientMsgId, String text) {
        return "{\"type\":\"send\",\"channel\":\"" + channel + "\",\"clientMsgId\":\"" + clientMsgId + "\",\"text\":\"" + text + "\"}";
    }
}
