package dev.parley.gateway.hub;

import java.util.function.Consumer;

/** Where a connection's frames go: a WebSocket session in production, anything in tests. */
public interface Outbound {

    /** Queues a text frame; exactly one of the callbacks runs when it was written or failed. */
    void send(String text, Runnable written, Consumer<Throwable> failed);

    /**
     * Queues a frame shared with other connections, after the frames queued before it. A transport that can
     * write the frame's encoded bytes as they are does so; the default sends its text.
     */
    default void send(SharedFrame frame, Runnable written, Consumer<Throwable> failed) {
        send(frame.text(), written, failed);
    }

    void close(int code, String reason);

    boolean isOpen();
}
