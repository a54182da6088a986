package dev.parley.topology.query;

import dev.parley.api.query.ChannelQueries;
import dev.parley.api.query.EventPage;
import dev.parley.api.query.QueryClient;
import dev.parley.api.query.QueryUnavailableException;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.api.http.JsonResponses;
import dev.parley.api.http.PathParts;
import java.util.ArrayList;
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

/**
 * The topology's query RPC (HTTP/JSON), served by every instance; see docs/architecture.md "Read side".
 * Requests carrying {@value #FORWARDED} were forwarded by another instance and are answered locally.
 */
public final class QueryHttpHandler extends Handler.Abstract {

    public static final String FORWARDED = QueryClient.FORWARDED_HEADER;

    private final ChannelQueries queries;
    private final ChannelQueries forwardedQueries;
    private final Supplier<String> state;

    public QueryHttpHandler(QueryService service, Supplier<String> state) {
        this.queries = service;
        this.forwardedQueries = service.forForwardedRequests();
        this.state = state;
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
            } else if (p.size() == 4 && p.get(0).equals("v1") && p.get(1).equals("channels") && p.get(3).equals("events") && method.equals("GET")) {
                String channel = p.get(2);
                int limit = intParam(params, "limit", 500);
                String before = params.getValue("before");
                EventPage page = before != null
                        ? q.eventsBefore(channel, Long.parseLong(before), limit)
                        : q.eventsAfter(channel, longParam(params, "after", 0), limit);
                JsonResponses.json(response, callback, 200, page);
            } else if (p.size() == 3 && p.get(0).equals("v1") && p.get(1).equals("channels") && method.equals("GET")) {
                var summary = q.channel(p.get(2));
                if (summary.isPresent()) {
                    JsonResponses.json(response, callback, 200, summary.get());
                } else {
                    JsonResponses.error(response, callback, 404, "unknown_channel", "channel '" + p.get(2) + "' does not exist");
                }
            } else if (p.size() == 2 && p.get(0).equals("v1") && p.get(1).equals("channels:info") && method.equals("POST")) {
                JsonNode body = JsonResponses.MAPPER.readTree(Content.Source.asString(request));
                List<String> channels = new ArrayList<>();
                body.path("channels").forEach(n -> channels.add(n.asText()));
                String user = body.path("user").isTextual() ? body.path("user").asText() : null;
                JsonResponses.json(response, callback, 200, Map.of("channels", q.channels(channels, user)));
            } else if (p.size() == 4 && p.get(0).equals("v1") && p.get(1).equals("channels") && p.get(3).equals("messages") && method.equals("GET")) {
                String before = params.getValue("before");
                JsonResponses.json(response, callback, 200, q.messagesBefore(p.get(2),
                        before == null ? Long.MAX_VALUE : Long.parseLong(before), intParam(params, "limit", 100)));
            } else if (p.size() == 5 && p.get(0).equals("v1") && p.get(1).equals("channels") && p.get(3).equals("threads") && method.equals("GET")) {
                var thread = q.thread(p.get(2), Long.parseLong(p.get(4)), longParam(params, "after", 0), intParam(params, "limit", 100));
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
            JsonResponses.error(response, callback, 400, "invalid", "bad number: " + e.getMessage());
        } catch (Exception e) {
            JsonResponses.error(response, callback, 500, "internal_error", e.toString());
        }
        return true;
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
