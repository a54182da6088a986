package dev.parley.gateway.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.api.query.ChannelQueries;
import dev.parley.api.query.EventPage;
import dev.parley.api.query.QueryUnavailableException;
import dev.parley.api.query.ThreadPage;
import dev.parley.api.query.UserChannel;
import dev.parley.api.query.UserChannels;
import dev.parley.gateway.hub.Delivery;
import dev.parley.gateway.hub.Frames;
import java.util.Collection;
import dev.parley.gateway.hub.RecentMemberships;
import java.util.Optional;

/**
 * The read requests (history, events, thread, channels) for a user, whichever transport asked: the access
 * rule, the query, and the answer's body (the WebSocket adds {@code type} and {@code requestId}, REST sends
 * it as is). Blocking: call it from a worker, never from the log tail. Reads ask for the store's committed state
 * ({@link ChannelQueries#COMMITTED}), not capped at this gateway's tail: a client's own ack can be ahead of it.
 */
public final class ReadService {

    /** What a read came to: a body, or a refusal. */
    public sealed interface Result {
    }

    public record Page(ObjectNode body) implements Result {
    }

    public record Refused(Refusal refusal) implements Result {
    }

    private final ChannelQueries queries;
    private final ReadAccess access;
    private final RecentMemberships recent;

    /** @param recent the membership changes this gateway saw lately, merged into the channel list as the welcome does */
    public ReadService(ChannelQueries queries, RecentMemberships recent) {
        this.queries = queries;
        this.recent = recent;
        this.access = new ReadAccess(queries);
    }

    public ReadAccess access() {
        return access;
    }

    /**
     * @throws QueryUnavailableException when the topology cannot answer now
     */
    public Result read(String user, ClientRequest request) {
        if (request instanceof ClientRequest.History h) {
            return guarded(user, h.channel(), () -> Frames.JSON.valueToTree(queries.messagesBefore(h.channel(), h.before(), h.limit(), ChannelQueries.COMMITTED)));
        }
        if (request instanceof ClientRequest.Events e) {
            return guarded(user, e.channel(), () -> events(user, e));
        }
        if (request instanceof ClientRequest.Thread t) {
            return guarded(user, t.channel(), () -> thread(t));
        }
        if (request instanceof ClientRequest.Channels c) {
            return new Page(channels(user, c));
        }
        throw new IllegalArgumentException("not a read: " + request);
    }

    private interface Body {
        ObjectNode get();
    }

    private Result guarded(String user, String channel, Body body) {
        Refusal refusal = access.check(user, channel);
        if (refusal != null) {
            return new Refused(refusal);
        }
        ObjectNode n = body.get();
        return n == null ? new Refused(new Refusal("unknown_message", "no such message in '" + channel + "'")) : new Page(n);
    }

    private ObjectNode events(String user, ClientRequest.Events e) {
        EventPage page = e.before() != null
                ? queries.eventsBefore(e.channel(), e.before(), e.limit(), ChannelQueries.COMMITTED)
                : queries.eventsAfter(e.channel(), e.after(), e.limit(), ChannelQueries.COMMITTED);
        ObjectNode n = Frames.JSON.createObjectNode();
        n.put("channel", e.channel());
        ArrayNode events = n.putArray("events");
        page.events().forEach(event -> events.add(Delivery.visibleTo(event, user)));
        n.put("head", page.head());
        n.put("more", page.more());
        return n;
    }

    private ObjectNode thread(ClientRequest.Thread t) {
        Optional<ThreadPage> page = queries.thread(t.channel(), t.root(), t.after(), t.limit(), ChannelQueries.COMMITTED);
        return page.<ObjectNode>map(Frames.JSON::valueToTree).orElse(null);
    }

    /** A page of the user's channels, in channel id order, after {@code after}. */
    private ObjectNode channels(String user, ClientRequest.Channels c) {
        UserChannels mine = queries.channelsOf(user);
        Collection<UserChannel> all = recent.applyTo(user, mine.channels()).values();
        ObjectNode n = Frames.JSON.createObjectNode();
        n.put("user", user);
        ArrayNode list = n.putArray("channels");
        int added = 0;
        boolean more = false;
        for (UserChannel uc : all) {
            if (c.after() != null && uc.channel().compareTo(c.after()) <= 0) {
                continue;
            }
            if (added == c.limit()) {
                more = true;
                break;
            }
            list.add(Frames.JSON.valueToTree(uc));
            added++;
        }
        n.put("more", more);
        n.put("stale", mine.stale());
        return n;
    }
}
