package dev.parley.gateway.client;

import dev.parley.gateway.hub.Outbound;
import java.util.function.Consumer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/** {@link Outbound} over a Jetty WebSocket session (its sends are asynchronous and queued in order). */
final class JettyOutbound implements Outbound {

    private final Session session;

    JettyOutbound(Session session) {
        this.session = session;
    }

    @Override
    public void send(String text, Runnable written, Consumer<Throwable> failed) {
        session.sendText(text, Callback.from(written, failed));
    }

    @Override
    public void close(int code, String reason) {
        session.close(code, reason, Callback.NOOP);
    }

    @Override
    public boolean isOpen() {
        return session.isOpen();
    }
}
