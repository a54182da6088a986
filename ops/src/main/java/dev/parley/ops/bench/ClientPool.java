package dev.parley.ops.bench;

import dev.parley.client.ClientResources;
import dev.parley.client.ClientStorage;
import dev.parley.client.ParleyClient;
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
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Many simulated clients over real WebSocket connections in this one JVM: {@link Member}s on Parley's Java client and,
 * where a workload needs raw frames (a network cut, a server that is not Parley), {@link BenchClient}s. All share one
 * {@link ClientResources}: one asynchronous Jetty WebSocket client (a few selector threads and a bounded pool) and
 * {@value #LOOP_THREADS} threads that run every Java client's logic, whatever the number of connections. Tokens are
 * minted locally with the gateway's HS256 secret (the dev secret unless told otherwise); the clients keep their cursors
 * and outboxes in memory.
 */
final class ClientPool implements AutoCloseable {

    /** Threads that run the Java clients' logic (the machine the bench was made for has 2 cores). */
    static final int LOOP_THREADS = 2;

    private final URI url;
    private final DevTokens tokens;
    private final ClientResources resources;
    private final WebSocketClient ws;
    private final List<BenchClient> opened = new ArrayList<>();
    private final List<Member> members = new ArrayList<>();
    /**
     * Whether the raw clients this pool opens ask for batched delivery in their hello (the Java client's members
     * always do).
     */
    volatile boolean batch;

    ClientPool(URI url, String jwtSecret) {
        this.url = url;
        this.tokens = new DevTokens(jwtSecret);
        this.resources = ClientResources.create("bench-client", LOOP_THREADS, 64);
        this.ws = resources.webSocketClient();
        ws.setIdleTimeout(Duration.ofMinutes(30));
        ws.setMaxTextMessageSize(16 << 20);
        ws.getHttpClient().setConnectTimeout(30_000);
    }

    /** A member on the Java client (not connected: {@link #startAll}). */
    Member member(String user, String device, String home) {
        return member(user, device, home, ClientStorage.memory());
    }

    /** {@link #member(String, String, String)} resuming from what {@code storage} holds. */
    Member member(String user, String device, String home, ClientStorage storage) {
        ParleyClient c = new ParleyClient(ParleyClient.Config.of(url, device, reason -> token(user)).withStorage(storage)
                .withResources(resources));
        Member m = new Member(user, device, home, storage, c);
        synchronized (members) {
            members.add(m);
        }
        return m;
    }

    /**
     * Starts every member with at most {@code concurrency} connects under way; each one's first welcome is kept.
     *
     * @return the ones that failed (empty when all are welcome)
     */
    List<Throwable> startAll(List<Member> all, int concurrency, Duration timeout) throws InterruptedException {
        Semaphore permits = new Semaphore(concurrency);
        List<CompletableFuture<?>> started = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (Member m : all) {
            permits.acquire();
            CompletableFuture<?> f = m.client.start().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((w, e) -> {
                permits.release();
                if (e != null) {
                    failures.add(e);
                } else {
                    m.welcome = w;
                }
            });
            started.add(f);
        }
        try {
            CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // counted in failures
        }
        return failures;
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
        List<Member> ms;
        synchronized (members) {
            ms = new ArrayList<>(members);
            members.clear();
        }
        ms.forEach(Member::close);
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
        resources.close();
    }
}
