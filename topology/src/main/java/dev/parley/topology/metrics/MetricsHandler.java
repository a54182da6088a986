package dev.parley.topology.metrics;

import dev.parley.api.http.PathParts;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * In front of the query RPC: answers {@code GET /metrics} and times every query the RPC serves, by kind
 * ({@code events}, {@code channel}, {@code channels}, {@code member}, {@code members}, {@code user_channels})
 * and outcome ({@code ok}, {@code not_found}, {@code unavailable}, {@code error}).
 */
public final class MetricsHandler extends Handler.Wrapper {

    private final TopologyMetrics metrics;

    public MetricsHandler(TopologyMetrics metrics, Handler queries) {
        super(queries);
        this.metrics = metrics;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        List<String> p = PathParts.of(request);
        if (p.equals(List.of("metrics")) && request.getMethod().equals("GET")) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            Content.Sink.write(response, true, metrics.scrape(), callback);
            return true;
        }
        String query = queryKind(p);
        if (query == null) {
            return super.handle(request, response, callback);
        }
        long started = System.nanoTime();
        return super.handle(request, response, new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                metrics.query(query, outcome(response.getStatus()), System.nanoTime() - started);
                super.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                metrics.query(query, "error", System.nanoTime() - started);
                super.failed(x);
            }
        });
    }

    /** The query an RPC path asks for, or null for anything else (health, unknown paths). */
    static String queryKind(List<String> p) {
        if (p.size() < 2 || !p.get(0).equals("v1")) {
            return null;
        }
        if (p.get(1).equals("channels:info") && p.size() == 2) {
            return "channels";
        }
        if (p.get(1).equals("users:common") && p.size() == 2) {
            return "common_channels";
        }
        if (p.get(1).equals("users:memberships") && p.size() == 2) {
            return "memberships";
        }
        if (p.get(1).equals("channels")) {
            if (p.size() == 3) {
                return "channel";
            }
            if (p.size() == 4 && p.get(3).equals("events")) {
                return "events";
            }
            if (p.size() == 4 && p.get(3).equals("members")) {
                return "members";
            }
            if (p.size() == 5 && p.get(3).equals("members")) {
                return "member";
            }
        }
        if (p.get(1).equals("users") && p.size() == 4 && p.get(3).equals("channels")) {
            return "user_channels";
        }
        return null;
    }

    static String outcome(int status) {
        if (status == 200) {
            return "ok";
        }
        if (status == 404) {
            return "not_found";
        }
        if (status == 503) {
            return "unavailable";
        }
        return "error";
    }
}
