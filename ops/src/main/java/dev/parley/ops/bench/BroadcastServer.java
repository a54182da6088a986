package dev.parley.ops.bench;

import dev.parley.gateway.hub.BatchWindow;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * Baseline (3): a bare Jetty 12 WebSocket server configured like the gateway's (same thread pool, same
 * asynchronous {@code sendText}), which broadcasts every text frame {@code B<payload>} it receives to every
 * connected session from one fan-out thread, as the gateway's log tail does. No Kafka, no JSON, no routing:
 * the most the same Jetty can deliver on this machine.
 *
 * <p>Given a batch window it batches the way the gateway does for batched connections, with the gateway's own rule
 * ({@link BatchWindow}): a frame that arrives while the broadcast is quiet goes at once, later ones wait for the
 * window's end and go as one {@code events} frame of the same shape as the gateway's. Still no Kafka and no
 * routing, and one {@code sendText} per connection (Jetty encodes it for each).
 */
final class BroadcastServer implements AutoCloseable {

    private final Server server;
    private final ServerConnector connector;
    private final ExecutorService fanOut;

    private BroadcastServer(Server server, ServerConnector connector, ExecutorService fanOut) {
        this.server = server;
        this.connector = connector;
        this.fanOut = fanOut;
    }

    /** @param batchWindow null: one frame per received frame, as before */
    static BroadcastServer start(Duration batchWindow) throws Exception {
        Set<Session> sessions = ConcurrentHashMap.newKeySet();
        ScheduledExecutorService fanOut = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "broadcast-fan-out");
            t.setDaemon(true);
            return t;
        });
        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("bench-broadcast-http");
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, container -> {
            container.setMaxTextMessageSize(1 << 20);
            container.setIdleTimeout(Duration.ofMinutes(5));
            Batcher batcher = batchWindow == null ? null : new Batcher(sessions, fanOut, batchWindow.toMillis());
            container.addMapping("/ws", (req, resp, cb) -> new Endpoint(sessions, fanOut, batcher));
        });
        server.setHandler(ws);
        server.start();
        return new BroadcastServer(server, connector, fanOut);
    }

    /** The gateway's batching rule around the broadcast; runs on the fan-out thread only. */
    static final class Batcher {
        private final Set<Session> sessions;
        private final ScheduledExecutorService fanOut;
        private final BatchWindow window;
        private List<String> waiting = new ArrayList<>();
        private boolean wakeUpScheduled;

        Batcher(Set<Session> sessions, ScheduledExecutorService fanOut, long windowMillis) {
            this.sessions = sessions;
            this.fanOut = fanOut;
            this.window = new BatchWindow(windowMillis);
        }

        void ready(String frame) {
            waiting.add(frame);
            if (window.ready() == BatchWindow.When.NOW) {
                send();
            }
        }

        private void send() {
            List<String> events = waiting;
            waiting = new ArrayList<>();
            long now = System.nanoTime() / 1_000_000;
            window.sent(now);
            if (!wakeUpScheduled && window.isOpen()) {
                wakeUpScheduled = true;
                fanOut.schedule(this::windowEnds, window.endsAt() - now, TimeUnit.MILLISECONDS);
            }
            String frame = events.size() == 1 ? events.get(0)
                    : "{\"type\":\"events\",\"channel\":\"bench\",\"live\":true,\"events\":[" + String.join(",", events) + "]}";
            for (Session s : sessions) {
                s.sendText(frame, Callback.NOOP);
            }
        }

        private void windowEnds() {
            wakeUpScheduled = false;
            long now = System.nanoTime() / 1_000_000;
            if (window.ended(now)) {
                send();
            } else if (window.isOpen()) {
                wakeUpScheduled = true;
                fanOut.schedule(this::windowEnds, Math.max(0, window.endsAt() - now), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** One connection (public: Jetty calls it through method handles). */
    public static final class Endpoint implements Session.Listener.AutoDemanding {
        private final Set<Session> sessions;
        private final ExecutorService fanOut;
        private final Batcher batcher;
        private Session session;

        Endpoint(Set<Session> sessions, ExecutorService fanOut, Batcher batcher) {
            this.sessions = sessions;
            this.fanOut = fanOut;
            this.batcher = batcher;
        }

        @Override
        public void onWebSocketOpen(Session s) {
            session = s;
            sessions.add(s);
        }

        @Override
        public void onWebSocketText(String text) {
            if (text.startsWith("B")) {
                String payload = text.substring(1);
                fanOut.execute(() -> {
                    if (batcher != null) {
                        batcher.ready(payload);
                        return;
                    }
                    for (Session s : sessions) {
                        s.sendText(payload, Callback.NOOP);
                    }
                });
            }
        }

        @Override
        public void onWebSocketClose(int code, String reason) {
            sessions.remove(session);
        }
    }

    URI wsUrl() {
        return URI.create("ws://127.0.0.1:" + connector.getLocalPort() + "/ws");
    }

    @Override
    public void close() throws Exception {
        server.stop();
        fanOut.shutdownNow();
    }
}
