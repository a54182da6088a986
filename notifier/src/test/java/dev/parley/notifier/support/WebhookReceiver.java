package dev.parley.notifier.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.parley.notifier.delivery.WebhookSigner;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real webhook receiver on a loopback port (the JDK's HTTP server), as an integrator would write one: it
 * verifies every request's signature and timestamp, records it, and answers as the test tells it to
 * (200, an error status, or hang until released).
 */
public final class WebhookReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received. */
    public record Call(String id, boolean verified, JsonNode body, int answeredWith, long atMillis) {
    }

    private final HttpServer server;
    private final byte[] secret;
    private final List<Call> calls = new ArrayList<>();
    private volatile int status = 200;
    private volatile CountDownLatch hang;
    private final java.util.concurrent.atomic.AtomicInteger hanging = new java.util.concurrent.atomic.AtomicInteger();

    public WebhookReceiver(byte[] secret) throws IOException {
        this.secret = secret;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        this.server.setExecutor(Executors.newFixedThreadPool(16));
        this.server.createContext("/hook", this::handle);
        this.server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    /** Answer every request with {@code code} from now on. */
    public void answer(int code) {
        this.status = code;
    }

    /** Hold every request without answering until {@link #recover()}. */
    public void hang() {
        this.hang = new CountDownLatch(1);
    }

    /** Stop hanging and answer 200. */
    public void recover() {
        this.status = 200;
        CountDownLatch h = hang;
        hang = null;
        if (h != null) {
            h.countDown();
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        String id = ex.getRequestHeaders().getFirst(WebhookSigner.ID);
        boolean ok = WebhookSigner.verify(secret, id, ex.getRequestHeaders().getFirst(WebhookSigner.TIMESTAMP), body,
                ex.getRequestHeaders().getFirst(WebhookSigner.SIGNATURE), System.currentTimeMillis() / 1000, 300);
        CountDownLatch h = hang;
        int code = ok ? status : 401;
        if (h != null) {
            hanging.incrementAndGet();
            try {
                h.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            code = 503; // by now the sender has timed out: this answer reaches nobody
        }
        synchronized (calls) {
            calls.add(new Call(id, ok, JSON.readTree(body), code, System.currentTimeMillis()));
        }
        try {
            ex.sendResponseHeaders(code, -1);
        } catch (IOException gone) {
            // the sender timed out and closed the connection
        } finally {
            ex.close();
        }
    }

    /** Requests that were held by {@link #hang()}. */
    public int hung() {
        return hanging.get();
    }

    public List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** Calls answered 2xx, by notification id. */
    public Map<String, Long> acceptedById() {
        return acceptedById("");
    }

    /** Calls answered 2xx of the notifications whose id starts with {@code prefix}, by id. */
    public Map<String, Long> acceptedById(String prefix) {
        return calls().stream().filter(c -> c.answeredWith() / 100 == 2 && c.id() != null && c.id().startsWith(prefix))
                .collect(Collectors.groupingBy(Call::id, Collectors.counting()));
    }

    /** Calls (any answer) by notification id, of the ids starting with {@code prefix}. */
    public Map<String, Long> callsById(String prefix) {
        return calls().stream().filter(c -> c.id() != null && c.id().startsWith(prefix))
                .collect(Collectors.groupingBy(Call::id, Collectors.counting()));
    }

    /** Bodies of the accepted calls, in order. */
    public List<JsonNode> accepted() {
        return calls().stream().filter(c -> c.answeredWith() / 100 == 2).map(Call::body).toList();
    }

    @Override
    public void close() {
        recover();
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
