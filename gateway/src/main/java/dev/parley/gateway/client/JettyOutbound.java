package dev.parley.gateway.client;

import dev.parley.gateway.hub.Outbound;
import dev.parley.gateway.hub.SharedFrame;
import java.util.function.Consumer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * {@link Outbound} over a Jetty WebSocket session (its sends are asynchronous and queued in order). A shared frame
 * goes to Jetty's core session as its already encoded bytes, so fanning an event out does not encode it once per
 * connection; both kinds of send enter the same queue of the session, in call order.
 */
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
    public void send(SharedFrame frame, Runnable written, Consumer<Throwable> failed) {
        if (session instanceof WebSocketSession ws) {
            ws.getCoreSession().sendFrame(new Frame(OpCode.TEXT, frame.bytes()),
                    org.eclipse.jetty.util.Callback.from(written, failed), false);
        } else {
            send(frame.text(), written, failed);
        }
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
