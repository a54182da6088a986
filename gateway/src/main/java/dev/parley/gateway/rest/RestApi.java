package dev.parley.gateway.rest;

import dev.parley.api.http.JsonResponses;
import dev.parley.gateway.GatewayConfig;
import dev.parley.gateway.GatewayMetrics;
import dev.parley.gateway.admission.Admission;
import dev.parley.gateway.auth.DevTokens;
import dev.parley.gateway.auth.TokenVerifier;
import dev.parley.gateway.client.CommandService;
import dev.parley.gateway.client.FrameReader;
import dev.parley.gateway.client.ReadService;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.pathmap.ServletPathSpec;
import org.eclipse.jetty.http.pathmap.UriTemplatePathSpec;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.PathMappingsHandler;

/**
 * The gateway's HTTP routes (docs/protocol.md "REST"), mapped with Jetty's path mappings: the REST API for bots
 * and integrations, dev tokens (dev mode only), health and metrics. Everything else goes to the content
 * handler (the chat page).
 */
public final class RestApi {

    private RestApi() {
    }

    public static Handler routes(GatewayConfig config, TokenVerifier tokens, DevTokens devTokens, CommandService commands,
                                 ReadService reads, Admission admission, GatewayMetrics metrics, Handler content) {
        FrameReader reader = new FrameReader(config.http().maxBodyBytes());
        RestWrites writes = new RestWrites(tokens, reader, commands, config.http().maxBodyBytes());
        RestReads rest = new RestReads(tokens, reads, admission);
        PathMappingsHandler map = new PathMappingsHandler();
        map.addMapping(new UriTemplatePathSpec("/health"), route(metrics, "GET", call ->
                call.json(200, Map.of("status", "ok", "gateway", config.gatewayId()))));
        map.addMapping(new UriTemplatePathSpec("/metrics"), route(metrics, "GET", call -> {
            call.response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            Content.Sink.write(call.response, true, metrics.scrape(), call.callback);
        }));
        map.addMapping(new UriTemplatePathSpec("/api/dev/token"), route(metrics, "POST", call -> {
            if (devTokens == null) {
                call.error("not_found", "dev tokens are only issued in dev mode (PARLEY_DEV_MODE=true)");
                return;
            }
            String user = RestWrites.devTokenUser(call.body(reader, config.http().maxBodyBytes()));
            JsonResponses.json(call.response, call.callback, 200,
                    Map.of("token", devTokens.issue(user, java.time.Duration.ofHours(24)), "user", user));
        }));
        Map<String, Route.Action> channels = new LinkedHashMap<>();
        channels.put("GET", rest::channels);
        channels.put("POST", writes::createChannel);
        map.addMapping(new UriTemplatePathSpec("/api/v1/channels"), new Route(channels, metrics));
        Map<String, Route.Action> messages = new LinkedHashMap<>();
        messages.put("GET", rest::messages);
        messages.put("POST", writes::postMessage);
        map.addMapping(new UriTemplatePathSpec("/api/v1/channels/{channel}/messages"), new Route(messages, metrics));
        map.addMapping(new UriTemplatePathSpec("/api/v1/channels/{channel}/events"), route(metrics, "GET", rest::events));
        map.addMapping(new UriTemplatePathSpec("/api/v1/channels/{channel}/threads/{root}"), route(metrics, "GET", rest::thread));
        map.addMapping(new ServletPathSpec("/api/*"), new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                                  org.eclipse.jetty.util.Callback callback) {
                JsonResponses.error(response, callback, 404, "not_found", "no such endpoint");
                return true;
            }
        });
        map.addMapping(new ServletPathSpec("/"), content);
        // PathMappingsHandler gives each mapping a sub-context of the enclosing context; outside a ContextHandler the
        // server's context has no path, and a handler asking for its path in context (the chat page) failed with 500.
        return new ContextHandler(map, "/");
    }

    private static Route route(GatewayMetrics metrics, String method, Route.Action action) {
        return new Route(Map.of(method, action), metrics);
    }
}
