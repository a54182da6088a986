package dev.parley.gateway.hub;

/** Where a connection's frames go: a WebSocket session in production, anything in tests. */
public interface Outbound {

    /** Queues a text frame; exactly one of the callbacks runs when it was written or failed. */
    void send(String text, Runnable written, java.util.function.Consumer<Throwable> failed);

    void close(int code, String reason);

    boolean isOpen();
}
