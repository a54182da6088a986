package dev.parley.api.query;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link ChannelQueries} over the topology's HTTP query RPC. Given several instance URLs it spreads
 * requests over them and moves on to the next one when an instance cannot be reached; whichever instance
 * answers routes the query to the owner of the key. Every request carries the RPC's shared secret
 * ({@value #SECRET_HEADER}) when one is configured.
 */
public final class QueryClient implements ChannelQueries {

    /** Marks a request one topology instance forwarded to another: it is answered locally, never forwarded again. */
    public static final String FORWARDED_HEADER = "X-Parley-Forwarded";
    /** The shared secret of the topology's query RPC ({@code PARLEY_TOPOLOGY_RPC_SECRET}). */
    public static final String SECRET_HEADER = "X-Parley-Rpc-Secret";

    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final List<URI> instances;
    private final HttpClient http;
    private final Duration timeout;
    private final boolean forwarded;
    private final String secret;
    private final AtomicInteger next = new AtomicInteger();

    /**
     * @param secret the RPC's shared secret, or null when the topology runs without one (bound to loopback)
     */
    public QueryClient(List<URI> instances, Duration timeout, String secret) {
        this(instances, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build(), timeout, false, secret);
    }

    private QueryClient(List<URI> instances, HttpClient http, Duration timeout, boolean forwarded, String secret) {
        if (instances.isEmpty()) {
            throw new IllegalArgumentException("at least one topology instance URL is needed");
        }
        this.instances = List.copyOf(instances);
        this.http = http;
        this.timeout = timeout;
        this.forwarded = forwarded;
        this.secret = secret;
    }

    /** A client for one instance whose requests are marked as forwarded (answered there, from local copies). */
    public QueryClient forwardingTo(URI instance) {
        return new QueryClient(List.of(instance), http, timeout, true, secret);
    }

    @Override
    public EventPage eventsAfter(String channel, long after, int limit, long upTo) {
        return get("/v1/channels/" + enc(channel) + "/events?after=" + after + "&limit=" + limit + cap(upTo), EventPage.class).orElseThrow();
    }

    @Override
    public EventPage eventsBefore(String channel, long before, int limit, long upTo) {
        return get("/v1/channels/" + enc(channel) + "/events?before=" + before + "&limit=" + limit + cap(upTo), EventPage.class).orElseThrow();
    }

    @Override
    public Optional<ChannelSummary> channel(String channel, long upTo) {
        return get("/v1/channels/" + enc(channel) + (upTo == COMMITTED ? "" : "?upTo=" + upTo), ChannelSummary.class);
    }

    @Override
    public MessagePage messagesBefore(String channel, long before, int limit, long upTo) {
        return get("/v1/channels/" + enc(channel) + "/messages?before=" + before + "&limit=" + limit + cap(upTo), MessagePage.class).orElseThrow();
    }

    @Override
    public Optional<ThreadPage> thread(String channel, long root, long afterReply, int limit, long upTo) {
        return get("/v1/channels/" + enc(channel) + "/threads/" + root + "?after=" + afterReply + "&limit=" + limit + cap(upTo), ThreadPage.class);
    }

    @Override
    public Map<String, ChannelSummary> channels(String user, Map<String, Long> readCursors) {
        String body;
        try {
            body = JSON.writeValueAsString(Map.of("user", user, "channels", readCursors));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String answer = send("POST", "/v1/channels:info", body).orElseThrow();
        try {
            Map<String, Map<String, ChannelSummary>> parsed = JSON.readValue(answer, new TypeReference<>() {
            });
            return parsed.getOrDefault("channels", Map.of());
        } catch (IOException e) {
            throw new QueryUnavailableException("unreadable answer from the topology: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<MemberEntry> member(String channel, String user) {
        return get("/v1/channels/" + enc(channel) + "/members/" + enc(user), MemberEntry.class);
    }

    @Override
    public MemberPage members(String channel, String afterUser, int limit) {
        return get("/v1/channels/" + enc(channel) + "/members?limit=" + limit + (afterUser == null ? "" : "&after=" + enc(afterUser)),
                MemberPage.class).orElseThrow();
    }

    @Override
    public UserChannels channelsOf(String user) {
        return get("/v1/users/" + enc(user) + "/channels", UserChannels.class).orElseThrow();
    }

    private <T> Optional<T> get(String path, Class<T> type) {
        return send("GET", path, null).map(body -> {
            try {
                return JSON.readValue(body, type);
            } catch (IOException e) {
                throw new QueryUnavailableException("unreadable answer from the topology for " + path + ": " + e.getMessage(), e);
            }
        });
    }

    /** The body of a 200 answer, empty on 404; QueryUnavailableException when no instance answered. */
    private Optional<String> send(String method, String path, String body) {
        QueryUnavailableException last = null;
        int start = Math.floorMod(next.getAndIncrement(), instances.size());
        for (int i = 0; i < instances.size(); i++) {
            URI base = instances.get((start + i) % instances.size());
            HttpRequest.Builder req = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                    .header("Accept", "application/json");
            if (forwarded) {
                req.header(FORWARDED_HEADER, "true");
            }
            if (secret != null) {
                req.header(SECRET_HEADER, secret);
            }
            req.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (body != null) {
                req.header("Content-Type", "application/json");
            }
            try {
                HttpResponse<String> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                if (resp.statusCode() == 200) {
                    return Optional.of(resp.body());
                }
                if (resp.statusCode() == 404 && !resp.body().contains("\"not_found\"")) {
                    // unknown channel / member / message: an answer, not a failure
                    return Optional.empty();
                }
                last = new QueryUnavailableException("topology instance " + base + " answered " + resp.statusCode() + ": " + resp.body());
                if (resp.statusCode() < 500) {
                    throw last;
                }
            } catch (IOException e) {
                last = new QueryUnavailableException("topology instance " + base + " could not be reached"
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new QueryUnavailableException("interrupted", e);
            }
        }
        throw last;
    }

    private static String cap(long upTo) {
        return upTo == COMMITTED ? "" : "&upTo=" + upTo;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
