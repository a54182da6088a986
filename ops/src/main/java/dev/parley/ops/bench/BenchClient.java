package dev.parley.ops.bench;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * A raw connection of the load generator, for what Parley's Java client ({@link Member}) is not for: a cut without a
 * close handshake and {@code presence} watches (W7's storm and observers), idle connections measured on the gateway's
 * heap (W6), and the raw Jetty broadcast baseline, whose server is not Parley. Frames it receives go to its
 * {@link Handler} on Jetty's client threads, one at a time per connection; the {@code welcome} completes a future.
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
    final AtomicLong errorFrames = new AtomicLong();
    final AtomicLong sendFailures = new AtomicLong();
    volatile String lastError;
    /** The channel this client is in. */
    volatile String home;
    /** The seq up to which this connection needs nothing (its ledger streams expect only later acked seqs). */
    volatile long after;
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
            case "error" -> {
                errorFrames.incrementAndGet();
                lastError = text;
                if (!welcome.isDone()) {
                    welcome.complete(text);
                }
            }
            default -> {
                // handled below
            }
        }
        handler.onFrame(this, type, text, now);
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

    void hello(String token, Map<String, Long> resume) {
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
}
