package dev.parley.gateway.rest;

import dev.parley.api.query.QueryUnavailableException;
import dev.parley.gateway.GatewayMetrics;
import dev.parley.gateway.auth.AuthException;
import dev.parley.gateway.client.Invalid;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.http.pathmap.UriTemplatePathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.util.Callback;

/**
 * One REST resource: the methods it answers, each an {@link Action}. Path parameters come from the
 * {@link UriTemplatePathSpec} that {@link PathMappingsHandler} matched. Failures become the documented JSON
 * errors: 401 for a refused token, 400 (or the code's status) for invalid input, 503 when the topology is
 * unavailable.
 */
final class Route extends Handler.Abstract {

    interface Action {
        void handle(RestCall call) throws Exception;
    }

    private final Map<String, Action> byMethod;
    private final GatewayMetrics metrics;

    Route(Map<String, Action> byMethod, GatewayMetrics metrics) {
        this.byMethod = byMethod;
        this.metrics = metrics;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Map<String, String> params = Map.of();
        if (request.getAttribute(PathMappingsHandler.PATHSPEC_ATTR) instanceof PathSpec spec
                && spec instanceof UriTemplatePathSpec template) {
            params = template.getPathParams(request.getHttpURI().getCanonicalPath());
        }
        RestCall call = new RestCall(request, response, callback, params == null ? Map.of() : params);
        Action action = byMethod.get(request.getMethod());
        if (action == null) {
            response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", byMethod.keySet()));
            call.error("method_not_allowed", "use " + String.join(" or ", byMethod.keySet()));
            return true;
        }
        try {
            action.handle(call);
        } catch (AuthException e) {
            metrics.error("unauthorized");
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
            call.error("unauthorized", e.getMessage());
        } catch (Invalid e) {
            metrics.error(e.code());
            call.error(e.code(), e.getMessage());
        } catch (QueryUnavailableException e) {
            metrics.error("unavailable");
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            call.error("unavailable", "the read side is unavailable right now; retry");
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(Route.class).error("REST {} {} failed", request.getMethod(),
                    request.getHttpURI().getPath(), e);
            call.error("internal_error", "the gateway failed on this request");
        }
        return true;
    }
}
