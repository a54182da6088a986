package dev.parley.ops.bench;

import dev.parley.gateway.auth.DevTokens;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Many simulated clients over real WebSocket connections, on one asynchronous Jetty WebSocket client (a
 * few selector threads and a small pool, whatever the number of connections). Tokens are minted locally with
 * the gateway's HS256 secret (the dev secret unless told otherwise).
 */
final class ClientPool implements AutoCloseable {

    private final URI url;
    private final DevTokens tokens;
    private final HttpClient http;
    private final WebSocketClient ws;
    private final List<BenchClient> opened = new ArrayList<>();
    /** Whether the clients this pool opens ask for batched delivery in their hello. */
    volatile boolean batch;

    ClientPool(URI url, String jwtSecret) {
        this.url = url;
        this.tokens = new DevTokens(jwtSecret);
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("bench-client");
        threads.setDaemon(true);
        this.http = new HttpClient();
        http.setExecutor(threads);
        http.setMaxConnectionsPerDestination(65_536);
        http.setMaxRequestsQueuedPerDestination(65_536);
        http.setConnectTimeout(30_000);
        this.ws = new WebSocketClient(http);
        ws.setIdleTimeout(Duration.ofMinutes(30));
        ws.setMaxTextMessageSize(16 << 20);
        try {
            ws.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the WebSocket client", e);
        }
    }

    URI url() {
        return url;
    }

    String token(String user) {
        return tokens.issue(user, Duration.ofHours(4));
    }

    /** Connects and says hello; completes with the client once the welcome (or an error) arrived. */
    CompletableFuture<BenchClient> open(BenchClient c, Map<String, Long> resume) {
        return open(c, resume, token(c.user));
    }

    CompletableFuture<BenchClient> open(BenchClient c, Map<String, Long> resume, String token) {
        synchronized (opened) {
            opened.add(c);
        }
        try {
            c.batch = batch;
            return ws.connect(c, url).thenCompose(session -> {
                c.hello(token, resume);
                return c.welcome;
            }).thenApply(w -> {
                if (!FrameFields.type(w).equals("welcome")) {
                    throw new IllegalStateException("hello of " + c.key + " refused: " + w);
                }
                return c;
            });
        } catch (java.io.IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Connects without a hello (for servers that are not Parley's gateway). */
    CompletableFuture<BenchClient> connect(BenchClient c) {
        synchronized (opened) {
            opened.add(c);
        }
        try {
            return ws.connect(c, url).thenApply(s -> c);
        } catch (java.io.IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Opens every client with at most {@code concurrency} handshakes under way.
     *
     * @return the ones that failed (empty when all are welcome)
     */
    List<Throwable> openAll(List<BenchClient> clients, Function<BenchClient, Map<String, Long>> resume, int concurrency,
                            Duration timeout) throws InterruptedException {
        Semaphore permits = new Semaphore(concurrency);
        List<CompletableFuture<BenchClient>> all = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (BenchClient c : clients) {
            permits.acquire();
            CompletableFuture<BenchClient> f = open(c, resume.apply(c)).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
            f.whenComplete((ok, e) -> {
                permits.release();
                if (e != null) {
                    failures.add(e);
                }
            });
            all.add(f);
        }
        try {
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // counted in failures
        }
        return failures;
    }

    /** Closes every connection this pool opened (a normal close). */
    void closeAll() {
        List<BenchClient> copy;
        synchronized (opened) {
            copy = new ArrayList<>(opened);
            opened.clear();
        }
        copy.forEach(BenchClient::close);
        for (BenchClient c : copy) {
            try {
                c.closed.get(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // gone anyway
            }
        }
    }

    @Override
    public void close() {
        closeAll();
        try {
            ws.stop();
            http.stop();
        } catch (Exception ignored) {
            // best effort
        }
    }
}
