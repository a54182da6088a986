package dev.parley.topology.query;

import dev.parley.api.query.ChannelQueries;
import dev.parley.api.query.EventPage;
import dev.parley.api.query.QueryClient;
import dev.parley.api.query.QueryUnavailableException;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.api.http.JsonResponses;
import dev.parley.api.http.PathParts;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topology's query RPC (HTTP/JSON), served by every instance; see docs/architecture.md "Read side" and
 * docs/protocol.md "Topology query RPC". Requests carrying {@value #FORWARDED} were forwarded by another
 * instance and are answered locally. With a shared secret configured, every {@code /v1} request must carry it
 * ({@value QueryClient#SECRET_HEADER}); {@code /health} is open. Error bodies say what went wrong in words,
 * never with exception class names (the details are logged).
 */
public final class QueryHttpHandler extends Handler.Abstract {

    public static final String FORWARDED = QueryClient.FORWARDED_HEADER;

    private static final Logger LOG = LoggerFactory.getLogger(QueryHttpHandler.class);

    private final ChannelQueries queries;
    private final ChannelQueries forwardedQueries;
    private final Supplier<String> state;
    private final RpcSecret secret;

    public QueryHttpHandler(QueryService service, Supplier<String> state, RpcSecret secret) {
        this.queries = service;
        this.forwardedQueries = service.forForwardedRequests();
        this.state = state;
        this.secret = secret;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        List<String> p = PathParts.of(request);
        String method = request.getMethod();
        ChannelQueries q = request.getHeaders().contains(FORWARDED) ? forwardedQueries : queries;
        Fields params = Request.extractQueryParameters(request);
        try {
            if (p.size() == 1 && p.get(0).equals("health")) {
                String s = state.get();
                boolean ok = s.equals("RUNNING") || s.equals("REBALANCING");
                JsonResponses.json(response, callback, ok ? 200 : 503, Map.of("state", s));
            } else if (!secret.accepts(request.getHeaders().get(QueryClient.SECRET_HEADER))) {
                JsonResponses.error(response, callback, 401, "unauthorized",
                        "the query RPC needs the shared secret in " + QueryClient.SECRET_HEADER);
            } else if (p.size() == 4 && p.get(0).equals("v1") && p.get(1).equals("channels") && p.get(3).equals("events") && method.equals("GET")) {
                String channel = p.get(2);
                int limit = intParam(params, "limit", 500);
                long upTo = upTo(params);
                String before = params.getValue("before");
                EventPage page = before != null
                        ? q.eventsBefore(channel, Long.parseLong(before), limit, upTo)
                        : q.eventsAfter(channel, longParam(params, "after", 0), limit, upTo);
                JsonResponses.json(response, callback, 200, page);
            } else if (p.size() == 3 && p.get(0).equals("v1") && p.get(1).equals("channels") && method.equals("GET")) {
                var summary = q.channel(p.get(2), upTo(params));
                if (summary.isPresent()) {
                    JsonResponses.json(response, callback, 200, summary.get());
                } else {
                    JsonResponses.error(response, callback, 404, "unknown_channel", "channel '" + p.get(2) + "' does not exist");
                }
            } else if (p.size() == 2 && p.get(0).equals("v1") && p.get(1).equals("channels:info") && method.equals("POST")) {
                JsonNode body = JsonResponses.MAPPER.readTree(Content.Source.asString(request));
                Map<String, Long> cursors = new LinkedHashMap<>();
                body.path("channels").fields().forEachRemaining(e -> cursors.put(e.getKey(), e.getValue().asLong()));
                String user = body.path("user").asText("");
                JsonResponses.json(response, callback, 200, Map.of("channels", q.channels(user, cursors)));
            } else if (p.size() == 4 && p.get(0).equals("v1") && p.get(1).equals("channels") && p.get(3).equals("messages") && method.equals("GET")) {
                String before = params.getValue("before");
                JsonResponses.json(response, callback, 200, q.messagesBefore(p.get(2),
                        before == null ? Long.MAX_VALUE : Long.parseLong(before), intParam(params, "limit", 100), upTo(params)));
            } else if (p.size() == 5 && p.get(0).equals("v1") && p.get(1).equals("channels") && p.get(3).equals("threads") && method.equals("GET")) {
                var thread = q.thread(p.get(2), Long.parseLong(p.get(4)), longParam(params, "after", 0), intParam(params, "limit", 100),
                        upTo(params));
                if (thread.isPresent()) {
                    JsonResponses.json(response, callback, 200, thread.get());
                } else {
                    JsonResponses.error(response, callback, 404, "unknown_message", "no message " + p.get(4) + " in '" + p.get(2) + "'");
                }
            } else if (p.size() == 4 && p.get(0).equals("v1") && p.get(1).equals("channels") && p.get(3).equals("members") && method.equals("GET")) {
                JsonResponses.json(response, callback, 200, q.members(p.get(2), params.getValue("after"), intParam(params, "limit", 500)));
            } else if (p.size() == 5 && p.get(0).equals("v1") && p.get(1).equals("channels") && p.get(3).equals("members") && method.equals("GET")) {
                var member = q.member(p.get(2), p.get(4));
                if (member.isPresent()) {
                    JsonResponses.json(response, callback, 200, member.get());
                } else {
                    JsonResponses.error(response, callback, 404, "not_a_member", "'" + p.get(4) + "' is not a member of '" + p.get(2) + "'");
                }
            } else if (p.size() == 4 && p.get(0).equals("v1") && p.get(1).equals("users") && p.get(3).equals("channels") && method.equals("GET")) {
                JsonResponses.json(response, callback, 200, q.channelsOf(p.get(2)));
            } else {
                JsonResponses.error(response, callback, 404, "not_found", "no such endpoint: " + method + " " + request.getHttpURI().getPath());
            }
        } catch (QueryUnavailableException e) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            JsonResponses.error(response, callback, 503, "unavailable", e.getMessage());
        } catch (NumberFormatException e) {
            JsonResponses.error(response, callback, 400, "invalid", "a number parameter is not a number");
        } catch (java.io.IOException e) {
            JsonResponses.error(response, callback, 400, "invalid", "the body is not JSON");
        } catch (Exception e) {
            LOG.error("query RPC failed on {} {}", method, request.getHttpURI().getPath(), e);
            JsonResponses.error(response, callback, 500, "internal_error", "the query failed; the topology logged why");
        }
        return true;
    }

    private static long upTo(Fields params) {
        return longParam(params, "upTo", ChannelQueries.COMMITTED);
    }

    private static int intParam(Fields params, String name, int def) {
        String v = params.getValue(name);
        return v == null ? def : Integer.parseInt(v);
    }

    private static long longParam(Fields params, String name, long def) {
        String v = params.getValue(name);
        return v == null ? def : Long.parseLong(v);
    }
}
