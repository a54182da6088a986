package dev.parley.gateway.client;

import dev.parley.gateway.admission.Admission;
import dev.parley.gateway.admission.ReadGate;
import dev.parley.gateway.hub.ClientSession;
import dev.parley.gateway.hub.SessionStats;
import java.nio.ByteBuffer;
import java.util.UUID;
import java.util.concurrent.Executor;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's listener for one connection: hands frames, in order, to the protocol: the {@code hello} on the handshake
 * lane (its own few threads: a reconnect storm waiting on the topology never holds up the frames of connected
 * clients), every frame after it on the worker pool. It demands
 * frames explicitly: the next frame is read only while the connection's {@link ReadGate} has room (one frame
 * before hello, {@code PARLEY_MAX_INFLIGHT_PER_CONNECTION} after), so a client that pipelines faster than its
 * frames are answered fills its own TCP window, not the gateway's memory.
 */
public final class WebSocketEndpoint implements Session.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketEndpoint.class);

    private final ClientProtocol protocol;
    private final SerialExecutor inbox;
    private final Executor workers;
    private final long maxQueuedChars;
    private final SessionStats stats;
    private final Admission admission;
    private volatile Connection connection;
    private volatile Session ws;

    public WebSocketEndpoint(ClientProtocol protocol, Executor handshakes, Executor workers, long maxQueuedChars,
                             SessionStats stats, Admission admission) {
        this.protocol = protocol;
        this.inbox = new SerialExecutor(handshakes);
        this.workers = workers;
        this.maxQueuedChars = maxQueuedChars;
        this.stats = stats;
        this.admission = admission;
    }

    @Override
    public void onWebSocketOpen(Session ws) {
        this.ws = ws;
        ClientSession session = new ClientSession(UUID.randomUUID().toString(), new JettyOutbound(ws), maxQueuedChars, stats);
        connection = new Connection(session, new ReadGate(), admission.newConnection());
        protocol.onOpen(connection);
        ws.demand();
    }

    @Override
    public void onWebSocketText(String text) {
        Connection c = connection;
        if (c.gate().read()) {
            ws.demand();
        }
        inbox.execute(() -> {
            try {
                protocol.onText(c, text).whenComplete((r, e) -> finished(c));
            } catch (RuntimeException e) {
                finished(c);
                throw e;
            }
        });
    }

    private void finished(Connection c) {
        if (c.session().isAuthenticated()) {
            inbox.moveTo(workers); // welcomed: its frames are live traffic from now on
        }
        if (c.gate().done()) {
            ws.demand();
        }
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        callback.succeed();
        Connection c = connection;
        if (c.gate().read()) {
            ws.demand();
        }
        inbox.execute(() -> {
            try {
                protocol.onBinary(c.session());
            } finally {
                finished(c);
            }
        });
    }

    @Override
    public void onWebSocketPing(ByteBuffer payload) {
        ws.sendPong(payload, Callback.NOOP);
        ws.demand();
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        ws.demand();
    }

    @Override
    public void onWebSocketClose(int code, String reason) {
        Connection c = connection;
        if (c != null) {
            inbox.execute(() -> protocol.onClose(c.session()));
        }
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.debug("connection error: {}", cause.toString());
    }
}
