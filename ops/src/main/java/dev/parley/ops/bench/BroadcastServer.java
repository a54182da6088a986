package dev.parley.ops.bench;

import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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

    static BroadcastServer start() throws Exception {
        Set<Session> sessions = ConcurrentHashMap.newKeySet();
        ExecutorService fanOut = Executors.newSingleThreadExecutor(r -> {
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
            container.addMapping("/ws", (req, resp, cb) -> new Endpoint(sessions, fanOut));
        });
        server.setHandler(ws);
        server.start();
        return new BroadcastServer(server, connector, fanOut);
    }

    /** One connection (public: Jetty calls it through method handles). */
    public static final class Endpoint implements Session.Listener.AutoDemanding {
        private final Set<Session> sessions;
        private final ExecutorService fanOut;
        private Session session;

        Endpoint(Set<Session> sessions, ExecutorService fanOut) {
            this.sessions = sessions;
            this.fanOut = fanOut;
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
