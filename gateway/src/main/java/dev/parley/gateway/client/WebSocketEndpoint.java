package dev.parley.gateway.client;

import dev.parley.gateway.hub.ClientSession;
import dev.parley.gateway.hub.SessionStats;
import java.util.UUID;
import java.util.concurrent.Executor;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Jetty's listener for one connection: hands frames, in order, to the protocol on the worker pool. */
public final class WebSocketEndpoint implements Session.Listener.AutoDemanding {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketEndpoint.class);

    private final ClientProtocol protocol;
    private final SerialExecutor inbox;
    private final int maxQueued;
    private final SessionStats stats;
    private volatile ClientSession session;

    public WebSocketEndpoint(ClientProtocol protocol, Executor workers, int maxQueued, SessionStats stats) {
        this.protocol = protocol;
        this.inbox = new SerialExecutor(workers);
        this.maxQueued = maxQueued;
        this.stats = stats;
    }

    @Override
    public void onWebSocketOpen(Session ws) {
        session = new ClientSession(UUID.randomUUID().toString(), new JettyOutbound(ws), maxQueued, stats);
        protocol.onOpen(session);
    }

    @Override
    public void onWebSocketText(String text) {
        ClientSession s = session;
        inbox.execute(() -> protocol.onText(s, text));
    }

    @Override
    public void onWebSocketClose(int code, String reason) {
        ClientSession s = session;
        if (s != null) {
            inbox.execute(() -> protocol.onClose(s));
        }
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.debug("connection error: {}", cause.toString());
    }
}
