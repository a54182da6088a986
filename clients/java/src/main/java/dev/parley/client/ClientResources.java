package dev.parley.client;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * What many {@link ParleyClient}s in one JVM share: one Jetty {@link WebSocketClient} (its selectors and a bounded
 * thread pool) and a few threads that run every client's logic, each client's tasks one at a time and in order.
 * A service holding thousands of connections (a bot host, the bench's load generator) creates one and passes it
 * to each client with {@link ParleyClient.Config#withResources}; a client given none creates its own (one thread
 * and one WebSocket client) and closes it with itself. Closing this closes the connections of every client on it:
 * close the clients first.
 */
public final class ClientResources implements AutoCloseable {

    private final HttpClient http;
    private final WebSocketClient ws;
    private final ScheduledThreadPoolExecutor loops;

    private ClientResources(String name, int threads, int ioThreads) {
        QueuedThreadPool io = new QueuedThreadPool(ioThreads, Math.min(4, ioThreads));
        io.setName(name + "-io");
        io.setDaemon(true);
        http = new HttpClient();
        http.setExecutor(io);
        // every connection goes to the same few gateways: do not queue WebSocket upgrades behind a per-host limit
        http.setMaxConnectionsPerDestination(65_536);
        http.setMaxRequestsQueuedPerDestination(65_536);
        ws = new WebSocketClient(http);
        loops = new ScheduledThreadPoolExecutor(threads, r -> {
            Thread t = Executors.defaultThreadFactory().newThread(r);
            t.setName(name + "-" + t.getName());
            t.setDaemon(true);
            return t;
        });
        loops.setRemoveOnCancelPolicy(true); // request timers are cancelled by their answers: do not keep them queued
        try {
            ws.start();
        } catch (Exception e) {
            loops.shutdownNow();
            throw new IllegalStateException("cannot start the WebSocket client", e);
        }
    }

    /**
     * @param name      prefix of the threads' names
     * @param threads   threads that run the clients' logic (the clients' listeners run on them too)
     * @param ioThreads most threads of the WebSocket client's pool (selectors and frame callbacks; at least 8)
     */
    public static ClientResources create(String name, int threads, int ioThreads) {
        return new ClientResources(name, threads, Math.max(8, ioThreads));
    }

    /** One loop thread and a small pool: what a single client creates for itself. */
    static ClientResources single(String name) {
        return new ClientResources(name, 1, 8);
    }

    /** The shared WebSocket client, e.g. to set its idle timeout or largest message before connecting. */
    public WebSocketClient webSocketClient() {
        return ws;
    }

    ScheduledExecutorService loops() {
        return loops;
    }

    @Override
    public void close() {
        try {
            ws.stop();
            http.stop();
        } catch (Exception e) {
            // stopping anyway
        }
        loops.shutdownNow();
    }
}
