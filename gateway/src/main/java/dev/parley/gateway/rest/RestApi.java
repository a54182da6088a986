package dev.parley.gateway.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.avro.command.SendMessage;
import dev.parley.gateway.GatewayConfig;
import dev.parley.gateway.GatewayMetrics;
import dev.parley.gateway.auth.AuthException;
import dev.parley.gateway.auth.DevTokens;
import dev.parley.gateway.auth.Principal;
import dev.parley.gateway.auth.TokenVerifier;
import dev.parley.gateway.client.ClientProtocol;
import dev.parley.gateway.client.Envelopes;
import dev.parley.gateway.client.Outcome;
import dev.parley.gateway.hub.Frames;
import dev.parley.gateway.kafka.CommandBus;
import dev.parley.api.http.JsonResponses;
import dev.parley.api.http.PathParts;
import dev.parley.api.query.ChannelQueries;
import dev.parley.api.query.EventPage;
import dev.parley.api.query.QueryUnavailableException;
import dev.parley.api.Limits;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The gateway's small REST API for bots and integrations (docs/protocol.md "REST"): post a message with an
 * Idempotency-Key, read history pages, list my channels; plus dev tokens (dev mode only), health and metrics.
 * Requests it does not know go to the next handler (static files).
 */
public final class RestApi extends Handler.Wrapper {

    private final GatewayConfig config;
    private final TokenVerifier tokens;
    private final DevTokens devTokens;
    private final CommandBus bus;
    private final ChannelQueries queries;
    private final ClientProtocol protocol;
    private final GatewayMetrics metrics;
    private final Envelopes envelopes;

    public RestApi(GatewayConfig config, TokenVerifier tokens, DevTokens devTokens, CommandBus bus, ChannelQueries queries,
                   ClientProtocol protocol, GatewayMetrics metrics, Handler next) {
        super(next);
        this.config = config;
        this.tokens = tokens;
        this.devTokens = devTokens;
        this.bus = bus;
        this.queries = queries;
        this.protocol = protocol;
        this.metrics = metrics;
        this.envelopes = new Envelopes(config.gatewayId());
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        List<String> p = PathParts.of(request);
        String method = request.getMethod();
        if (p.equals(List.of("health")) && method.equals("GET")) {
            JsonResponses.json(response, callback, 200, Map.of("status", "ok", "gateway", config.gatewayId()));
            return true;
        }
        if (p.equals(List.of("metrics")) && method.equals("GET")) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            Content.Sink.write(response, true, metrics.scrape(), callback);
            return true;
        }
        if (p.size() < 2 || !p.get(0).equals("api")) {
            return super.handle(request, response, callback);
        }
        try {
            if (p.equals(List.of("api", "dev", "token")) && method.equals("POST")) {
                devToken(request, response, callback);
            } else if (p.size() == 5 && p.get(1).equals("v1") && p.get(2).equals("channels") && p.get(4).equals("messages") && method.equals("POST")) {
                postMessage(principal(request), p.get(3), request, response, callback);
            } else if (p.size() == 5 && p.get(1).equals("v1") && p.get(2).equals("channels") && p.get(4).equals("events") && method.equals("GET")) {
                events(principal(request), p.get(3), request, response, callback);
            } else if (p.size() == 5 && p.get(1).equals("v1") && p.get(2).equals("channels") && p.get(4).equals("messages") && method.equals("GET")) {
                messages(principal(request), p.get(3), request, response, callback);
            } else if (p.size() == 6 && p.get(1).equals("v1") && p.get(2).equals("channels") && p.get(4).equals("threads") && method.equals("GET")) {
                thread(principal(request), p.get(3), p.get(5), request, response, callback);
            } else if (p.equals(List.of("api", "v1", "channels")) && method.equals("POST")) {
                createChannel(principal(request), request, response, callback);
            } else if (p.equals(List.of("api", "v1", "channels")) && method.equals("GET")) {
                JsonResponses.json(response, callback, 200, queries.channelsOf(principal(request).user()));
            } else {
                JsonResponses.error(response, callback, 404, "not_found", "no such endpoint: " + method + " " + request.getHttpURI().getPath());
            }
        } catch (AuthException e) {
            metrics.error("unauthorized");
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
            JsonResponses.error(response, callback, 401, "unauthorized", e.getMessage());
        } catch (BadRequest e) {
            metrics.error("invalid");
            JsonResponses.error(response, callback, 400, "invalid", e.getMessage());
        } catch (QueryUnavailableException e) {
            metrics.error("unavailable");
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            JsonResponses.error(response, callback, 503, "unavailable", e.getMessage());
        }
        return true;
    }

    static final class BadRequest extends Exception {
        BadRequest(String message) {
            super(message);
        }
    }

    private Principal principal(Request request) throws AuthException {
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new AuthException("send 'Authorization: Bearer <token>'");
        }
        return tokens.verify(auth.substring(7).trim());
    }

    private void devToken(Request request, Response response, Callback callback) throws BadRequest {
        if (!config.devMode()) {
            JsonResponses.error(response, callback, 404, "not_found", "dev tokens are only issued in dev mode (PARLEY_DEV_MODE=true)");
            return;
        }
        String user = body(request).path("user").asText(null);
        if (!Limits.isValidToken(user)) {
            throw new BadRequest("body must be {\"user\": \"<user id>\"}");
        }
        JsonResponses.json(response, callback, 200, Map.of("token", devTokens.issue(user, Duration.ofHours(24)), "user", user));
    }

    private void postMessage(Principal who, String channel, Request request, Response response, Callback callback) throws BadRequest {
        String key = request.getHeaders().get("Idempotency-Key");
        if (!Limits.isValidToken(key)) {
            throw new BadRequest("an Idempotency-Key header (1-128 characters) is required; a retry with the same key returns the same message");
        }
        if (!Limits.isValidChannelId(channel)) {
            throw new BadRequest("channel id '" + channel + "' is not valid");
        }
        JsonNode body = body(request);
        String text = body.path("text").asText(null);
        if (text == null || text.isBlank()) {
            throw new BadRequest("body needs a non-empty \"text\"");
        }
        Long threadRoot = body.path("threadRoot").canConvertToLong() ? body.path("threadRoot").asLong() : null;
        metrics.send();
        long started = System.nanoTime();
        bus.submit(envelopes.of(who.user(), "rest", channel, key, new SendMessage(text, threadRoot))).whenComplete((result, error) -> {
            Outcome o = Outcome.of(result, error, config.sendTimeout().toSeconds());
            if (o instanceof Outcome.Done d) {
                metrics.ack(System.nanoTime() - started);
                ObjectNode n = Frames.JSON.createObjectNode();
                n.put("channel", channel);
                n.put("seq", d.seq());
                n.put("messageId", d.messageId());
                n.put("duplicate", d.duplicate());
                JsonResponses.json(response, callback, d.duplicate() ? 200 : 201, n.toString());
            } else {
                Outcome.Failed f = o instanceof Outcome.Failed x ? x : new Outcome.Failed("internal_error", String.valueOf(o));
                metrics.error(f.code());
                JsonResponses.error(response, callback, status(f.code()), f.code(), f.message());
            }
        });
    }

    /** {@code POST /api/v1/channels {"channel", "private"?, "title"?}}; Idempotency-Key optional (a retry answers the same). */
    private void createChannel(Principal who, Request request, Response response, Callback callback) throws BadRequest {
        JsonNode body = body(request);
        String channel = body.path("channel").asText(null);
        if (!Limits.isValidChannelId(channel)) {
            throw new BadRequest("body needs a valid \"channel\" id: 1-80 letters, digits, '.', '_' or '-'");
        }
        String key = request.getHeaders().get("Idempotency-Key");
        if (key != null && !Limits.isValidToken(key)) {
            throw new BadRequest("Idempotency-Key must be 1-128 characters");
        }
        var command = new dev.parley.avro.command.CreateChannel(body.path("private").asBoolean(false)
                ? dev.parley.avro.Visibility.PRIVATE : dev.parley.avro.Visibility.PUBLIC,
                body.path("title").isTextual() ? body.path("title").asText() : null);
        metrics.command("create_channel");
        bus.submit(envelopes.of(who.user(), "rest", channel, key, command)).whenComplete((result, error) -> {
            Outcome o = Outcome.of(result, error, config.sendTimeout().toSeconds());
            if (o instanceof Outcome.Done d) {
                JsonResponses.json(response, callback, d.duplicate() ? 200 : 201,
                        Map.of("channel", channel, "seq", d.seq(), "duplicate", d.duplicate()));
            } else {
                Outcome.Failed f = o instanceof Outcome.Failed x ? x : new Outcome.Failed("internal_error", String.valueOf(o));
                metrics.error(f.code());
                JsonResponses.error(response, callback, status(f.code()), f.code(), f.message());
            }
        });
    }

    private void events(Principal who, String channel, Request request, Response response, Callback callback) throws BadRequest {
        Fields q = Request.extractQueryParameters(request);
        int limit;
        try {
            limit = q.getValue("limit") == null ? 100 : Integer.parseInt(q.getValue("limit"));
        } catch (NumberFormatException e) {
            throw new BadRequest("limit must be a number");
        }
        if (limit < 1 || limit > ChannelQueries.MAX_PAGE) {
            throw new BadRequest("limit must be between 1 and " + ChannelQueries.MAX_PAGE);
        }
        String refusal = protocol.readRefusal(who.user(), channel);
        if (refusal != null) {
            JsonResponses.error(response, callback, status(refusal), refusal, ClientProtocol.refusalMessage(refusal, channel));
            return;
        }
        EventPage page;
        try {
            page = q.getValue("before") != null
                    ? queries.eventsBefore(channel, Long.parseLong(q.getValue("before")), limit)
                    : queries.eventsAfter(channel, q.getValue("after") == null ? 0 : Long.parseLong(q.getValue("after")), limit);
        } catch (NumberFormatException e) {
            throw new BadRequest("after/before must be seq numbers");
        }
        ObjectNode out = Frames.JSON.createObjectNode();
        out.put("channel", channel);
        var events = out.putArray("events");
        page.events().forEach(e -> events.add(dev.parley.gateway.hub.Delivery.visibleTo(e, who.user())));
        out.put("head", page.head());
        out.put("more", page.more());
        JsonResponses.json(response, callback, 200, out.toString());
    }

    /** {@code GET .../messages?before=&limit=}: history in its current state. */
    private void messages(Principal who, String channel, Request request, Response response, Callback callback) throws BadRequest {
        Fields q = Request.extractQueryParameters(request);
        int limit = limit(q, 50);
        if (!mayRead(who, channel, response, callback)) {
            return;
        }
        try {
            long before = q.getValue("before") == null ? Long.MAX_VALUE : Long.parseLong(q.getValue("before"));
            JsonResponses.json(response, callback, 200, queries.messagesBefore(channel, before, limit));
        } catch (NumberFormatException e) {
            throw new BadRequest("before must be a seq number");
        }
    }

    /** {@code GET .../threads/{root}?after=&limit=}: a thread in its current state. */
    private void thread(Principal who, String channel, String root, Request request, Response response, Callback callback) throws BadRequest {
        Fields q = Request.extractQueryParameters(request);
        int limit = limit(q, 100);
        if (!mayRead(who, channel, response, callback)) {
            return;
        }
        try {
            var page = queries.thread(channel, Long.parseLong(root), q.getValue("after") == null ? 0 : Long.parseLong(q.getValue("after")), limit);
            if (page.isEmpty()) {
                JsonResponses.error(response, callback, 404, "unknown_message", "no message " + root + " in '" + channel + "'");
            } else {
                JsonResponses.json(response, callback, 200, page.get());
            }
        } catch (NumberFormatException e) {
            throw new BadRequest("root and after must be seq numbers");
        }
    }

    private boolean mayRead(Principal who, String channel, Response response, Callback callback) {
        String refusal = protocol.readRefusal(who.user(), channel);
        if (refusal != null) {
            JsonResponses.error(response, callback, status(refusal), refusal, ClientProtocol.refusalMessage(refusal, channel));
            return false;
        }
        return true;
    }

    private static int limit(Fields q, int def) throws BadRequest {
        try {
            int limit = q.getValue("limit") == null ? def : Integer.parseInt(q.getValue("limit"));
            if (limit < 1 || limit > ChannelQueries.MAX_PAGE) {
                throw new BadRequest("limit must be between 1 and " + ChannelQueries.MAX_PAGE);
            }
            return limit;
        } catch (NumberFormatException e) {
            throw new BadRequest("limit must be a number");
        }
    }

    private static JsonNode body(Request request) throws BadRequest {
        try {
            JsonNode n = Frames.JSON.readTree(Content.Source.asString(request));
            if (n == null || !n.isObject()) {
                throw new BadRequest("the body must be a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new BadRequest("the body is not JSON: " + e.getMessage());
        }
    }

    static int status(String code) {
        return switch (code) {
            case "invalid" -> 400;
            case "unauthorized" -> 401;
            case "not_a_member", "not_allowed" -> 403;
            case "unknown_channel", "unknown_message" -> 404;
            case "message_deleted" -> 410;
            case "channel_exists" -> 409;
            case "unavailable" -> 503;
            case "timeout" -> 504;
            default -> 500;
        };
    }
}
