package dev.parley.gateway.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.api.Limits;
import dev.parley.api.query.ChannelQueries;
import dev.parley.api.query.QueryUnavailableException;
import dev.parley.api.query.UserChannel;
import dev.parley.api.query.UserChannels;
import dev.parley.gateway.GatewayConfig;
import dev.parley.gateway.GatewayMetrics;
import dev.parley.gateway.auth.AuthException;
import dev.parley.gateway.auth.Principal;
import dev.parley.gateway.auth.TokenVerifier;
import dev.parley.gateway.hub.ClientSession;
import dev.parley.gateway.hub.CloseCodes;
import dev.parley.gateway.hub.Echo;
import dev.parley.gateway.hub.Frames;
import dev.parley.gateway.hub.Hub;
import dev.parley.gateway.hub.RecentMemberships;
import dev.parley.gateway.presence.PresenceService;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection's life around its requests: the hello deadline, {@code hello} -> {@code welcome} with the
 * user's channels and resume, and the close when the token expires.
 */
public final class Handshake {

    private static final Logger LOG = LoggerFactory.getLogger(Handshake.class);

    private final GatewayConfig config;
    private final TokenVerifier tokens;
    private final Hub hub;
    private final ChannelQueries queries;
    private final ScheduledExecutorService scheduler;
    private final GatewayMetrics metrics;
    private final PresenceService presence;

    public Handshake(GatewayConfig config, TokenVerifier tokens, Hub hub, ChannelQueries queries,
                     ScheduledExecutorService scheduler, GatewayMetrics metrics, PresenceService presence) {
        this.config = config;
        this.tokens = tokens;
        this.hub = hub;
        this.queries = queries;
        this.scheduler = scheduler;
        this.metrics = metrics;
        this.presence = presence;
    }

    /** A hello still waiting for a handshake thread at the deadline gets this many more deadlines. */
    private static final int QUEUED_HELLO_EXTENSIONS = 5;

    /**
     * A new connection: it has {@code helloTimeout} to say hello. The deadline is for the client: a frame it sent
     * that still waits its turn on the handshake lane (a reconnect storm) extends it, up to
     * {@value #QUEUED_HELLO_EXTENSIONS} times.
     */
    public void opened(Connection c) {
        metrics.connectionOpened();
        helloDeadline(c, 0);
    }

    private void helloDeadline(Connection c, int extensions) {
        scheduler.schedule(() -> {
            ClientSession s = c.session();
            if (s.isAuthenticated() || !s.isOpen()) {
                return;
            }
            if (c.gate().inFlight() > 0 && extensions < QUEUED_HELLO_EXTENSIONS) {
                helloDeadline(c, extensions + 1);
                return;
            }
            s.send(Frames.error("hello_timeout", "no valid hello within " + config.helloTimeout().toSeconds() + " s"));
            s.close(CloseCodes.NOT_AUTHENTICATED, "hello timeout");
        }, config.helloTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    public void closed(ClientSession s) {
        metrics.connectionClosed();
        s.ended();
        hub.unregister(s);
    }

    public void hello(ClientSession s, HelloRequest hello) {
        Principal principal;
        try {
            principal = tokens.verify(hello.token());
        } catch (AuthException e) {
            metrics.error("unauthorized");
            s.send(Frames.error("unauthorized", e.getMessage()));
            s.close(CloseCodes.UNAUTHORIZED, "unauthorized");
            return;
        }
        s.authenticate(principal, hello.device());
        s.takeBatches(hello.batch());
        s.pull(hello.pull());
        s.holdUntilWelcome();
        hub.register(s);
        UserChannels mine;
        try {
            mine = queries.channelsOf(principal.user());
        } catch (QueryUnavailableException e) {
            metrics.error("unavailable");
            s.sendWelcome(Frames.error("unavailable", "the channel list is unavailable; try again"));
            s.close(CloseCodes.TRY_AGAIN_LATER, "try again later");
            return;
        }
        Map<String, UserChannel> channels = hub.recent().applyTo(principal.user(), mine.channels());
        presence.connected(s);
        s.sendWelcome(welcome(principal, channels, hello).toString());
        if (hello.presence() != null) {
            // Answered after the welcome by a presence_watch frame: the hello never waits for presence.
            presence.watch(s, hello.presence().subList(0, Math.min(hello.presence().size(), config.presence().maxWatched())), null);
        }

        Map<String, Long> resume = hello.resume();
        for (UserChannel c : channels.values()) {
            Long from = resume.get(c.channel());
            long head = Math.max(c.head(), hub.publishedHead(c.channel()));
            if (from != null && from > head) {
                // Beyond anything committed: following from there would deliver nothing until seq from+1, i.e.
                // a silent channel. Say so, and follow from the real head.
                s.send(Frames.resumeAhead(c.channel(), from, head));
                from = head;
            }
            hub.subscribe(s, c.channel(), from == null ? c.head() : from, c.head(), from != null, hub.pulls(s, c.members()));
        }
        for (String asked : resume.keySet()) {
            if (!channels.containsKey(asked)) {
                s.send(Frames.error("not_a_member", "cannot resume '" + Echo.quote(asked) + "': not a member (or no such channel)",
                        "channel", asked));
            }
        }
        long ttl = Duration.between(Instant.now(), principal.expiresAt()).toMillis();
        s.expiresWith(scheduler.schedule(() -> {
            if (s.isOpen()) {
                s.send(Frames.error("token_expired", "the token expired; reconnect with a fresh one and resume"));
                s.close(CloseCodes.TOKEN_EXPIRED, "token expired");
            }
        }, Math.max(0, ttl), TimeUnit.MILLISECONDS));
        LOG.debug("{} connected from {} with {} channels, resuming {}", principal.user(), hello.device(), channels.size(), resume.size());
    }

    private ObjectNode welcome(Principal principal, Map<String, UserChannel> channels, HelloRequest hello) {
        ObjectNode welcome = Frames.frame("welcome");
        welcome.put("user", principal.user());
        welcome.put("gateway", config.gatewayId());
        ArrayNode list = welcome.putArray("channels");
        String last = null;
        for (UserChannel c : channels.values()) {
            if (list.size() == config.welcomeChannels()) {
                // The rest are paged with the channels frame: a welcome stays small whatever the user's channels.
                welcome.put("more", true);
                welcome.put("next", last);
                break;
            }
            list.add(entry(c));
            last = c.channel();
        }
        ObjectNode limits = welcome.putObject("limits");
        limits.put("maxFrameChars", config.maxFrameBytes());
        limits.put("maxTextChars", Limits.MAX_TEXT_CHARS);
        limits.put("maxCatchUp", config.maxCatchUp());
        // What this connection gets: an older gateway leaves it out (event frames only, no pull mode).
        ObjectNode delivery = welcome.putObject("delivery");
        delivery.put("batch", hello.batch());
        delivery.put("batchWindowMs", config.delivery().batchWindow().toMillis());
        delivery.put("pull", hello.pull());
        delivery.put("pullMembers", config.delivery().pullMembers());
        delivery.put("pullIntervalMs", config.delivery().pullInterval().toMillis());
        return welcome;
    }

    private static ObjectNode entry(UserChannel c) {
        ObjectNode n = Frames.JSON.createObjectNode();
        n.put("channel", c.channel());
        n.put("head", c.head());
        n.put("role", c.role());
        if (c.visibility() != null) {
            n.put("visibility", c.visibility());
        }
        if (c.title() != null) {
            n.put("title", c.title());
        }
        n.put("lastRead", c.lastRead());
        n.put("unread", c.unread());
        n.put("mentions", c.mentions());
        if (c.unreadCapped()) {
            n.put("unreadCapped", true);
        }
        return n;
    }
}
