package dev.parley.notifier;

import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** The notifier's only HTTP surface: {@code GET /metrics} (Prometheus) and {@code GET /health}. */
final class NotifierHttp extends Handler.Abstract.NonBlocking {

    private final Supplier<String> metrics;
    private final BooleanSupplier healthy;
    private final Supplier<String> state;

    NotifierHttp(Supplier<String> metrics, BooleanSupplier healthy, Supplier<String> state) {
        this.metrics = metrics;
        this.healthy = healthy;
        this.state = state;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (!request.getMethod().equals("GET")) {
            return false;
        }
        if (path.equals("/metrics")) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            Content.Sink.write(response, true, metrics.get(), callback);
            return true;
        }
        if (path.equals("/health")) {
            boolean ok = healthy.getAsBoolean();
            response.setStatus(ok ? HttpStatus.OK_200 : HttpStatus.SERVICE_UNAVAILABLE_503);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            String body = "{\"status\":\"" + (ok ? "ok" : "unavailable") + "\",\"streams\":\"" + state.get() + "\"}";
            response.write(true, java.nio.ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
            return true;
        }
        return false;
    }
}
