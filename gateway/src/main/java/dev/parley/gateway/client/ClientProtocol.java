package dev.parley.gateway.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.api.query.ChannelQueries;
import dev.parley.api.query.ChannelSummary;
import dev.parley.api.query.QueryUnavailableException;
import dev.parley.gateway.GatewayMetrics;
import dev.parley.gateway.hub.ClientSession;
import dev.parley.gateway.hub.Echo;
import dev.parley.gateway.hub.Frames;
import dev.parley.gateway.hub.Hub;
import dev.parley.gateway.admission.Admission;
import dev.parley.gateway.admission.Refusal;
import dev.parley.gateway.presence.PresenceService;
import dev.parley.gateway.typing.TypingService;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The WebSocket protocol of docs/protocol.md, as a translation: a text frame is read and validated
 * ({@link FrameReader}, {@link RequestParser}), then handed to the handshake, the commands or the reads, and
 * their result is written back as a frame. Frames of one connection are handled one at a time, in order.
 */
public final class ClientProtocol {

    private final FrameReader reader;
    private final Handshake handshake;
    private final CommandService commands;
    private final ReadService reads;
    private final ChannelQueries queries;
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final Hub hub;
    private final Admission admission;
    private final int maxInFlight;
    private final int maxResumeChannels;
    private final GatewayMetrics metrics;
    private final PresenceService presence;
    private final TypingService typing;

    public ClientProtocol(FrameReader reader, Handshake handshake, CommandService commands, ReadService reads,
                          ChannelQueries queries, Hub hub, Admission admission, int maxResumeChannels, GatewayMetrics metrics,
                          PresenceService presence, TypingService typing) {
        this.admission = admission;
        this.maxInFlight = admission.settings().maxInFlightPerConnection();
        this.maxResumeChannels = maxResumeChannels;
        this.reader = reader;
        this.handshake = handshake;
        this.commands = commands;
        this.reads = reads;
        this.queries = queries;
        this.hub = hub;
        this.metrics = metrics;
        this.presence = presence;
        this.typing = typing;
    }

    public void onOpen(Connection c) {
        handshake.opened(c);
    }

    public void onClose(ClientSession s) {
        handshake.closed(s);
        presence.closed(s);
        typing.closed(s);
    }

    /**
     * One text frame from the client.
     *
     * @return completes when the frame's work is done (for a command: when its answer was queued), which frees
     *         its place in the connection's {@link dev.parley.gateway.admission.ReadGate}
     */
    public CompletableFuture<?> onText(Connection c, String text) {
        ClientSession s = c.session();
        try {
            JsonNode frame = reader.read(text);
            if (!s.isAuthenticated()) {
                if (!"hello".equals(frame.path("type").textValue())) {
                    reject(s, new Invalid("not_authenticated", "send hello with a token first", null, null));
                    return DONE;
                }
                handshake.hello(s, HelloRequest.parse(frame, maxResumeChannels));
                if (s.isAuthenticated()) {
                    c.gate().open(maxInFlight);
                }
                return DONE;
            }
            return handle(c, RequestParser.parse(frame, s.user()));
        } catch (Invalid e) {
            reject(s, e);
            return DONE;
        }
    }

    /** A binary frame: the protocol is JSON text only. */
    public void onBinary(ClientSession s) {
        reject(s, new Invalid("bad_frame", "binary frames are not part of the protocol: send JSON text frames", null, null));
    }

    private CompletableFuture<?> handle(Connection conn, ClientRequest request) {
        ClientSession s = conn.session();
        if (!(request instanceof ClientRequest.Ping)) {
            presence.activity(s);
        }
        if (request instanceof ClientRequest.Command c) {
            if (c.isSend()) {
                typing.sent(s, c.channel());
            }
            return commands.submit(s.user(), s.device(), conn.limits(), c).thenAccept(o -> s.send(Replies.of(c, o)));
        }
        Refusal limited = admission.admitOther(conn.limits(), s.user());
        if (limited != null) {
            metrics.error(limited.code());
            String channel = request instanceof ClientRequest.Subscribe sub ? sub.channel() : null;
            s.send(channel != null ? Frames.error(limited.code(), limited.message(), "channel", channel, limited.retryAfterMs())
                    : Frames.error(limited.code(), limited.message(), "requestId", requestId(request), limited.retryAfterMs()));
            return DONE;
        }
        if (request instanceof ClientRequest.Subscribe sub) {
            subscribe(s, sub);
        } else if (request instanceof ClientRequest.Typing t) {
            typing.typing(s, t.channel());
        } else if (request instanceof ClientRequest.WatchPresence w) {
            presence.watch(s, w.users(), w.requestId());
        } else if (request instanceof ClientRequest.SetDelivery d) {
            if (!hub.setDelivery(s, d.channel(), d.pull(), d.after())) {
                s.send(Frames.error("not_a_member", "this connection does not follow '" + Echo.quote(d.channel()) + "'", "channel",
                        d.channel()));
            }
        } else if (request instanceof ClientRequest.SetStatus st) {
            presence.setAway(s, st.away());
        } else if (request instanceof ClientRequest.Ping) {
            s.send(Frames.frame("pong").toString());
        } else if (request instanceof ClientRequest.Hello) {
            s.send(Frames.error("already_authenticated", "this connection already said hello"));
        } else {
            read(s, request);
        }
        return DONE;
    }

    private void read(ClientSession s, ClientRequest request) {
        String requestId = requestId(request);
        try {
            ReadService.Result result = reads.read(s.user(), request);
            if (result instanceof ReadService.Refused r) {
                metrics.error(r.refusal().code());
                s.send(Frames.error(r.refusal().code(), r.refusal().message(), "requestId", requestId));
                return;
            }
            ObjectNode n = Frames.frame(type(request));
            if (requestId != null) {
                n.put("requestId", requestId);
            }
            n.setAll(((ReadService.Page) result).body());
            s.send(n.toString());
        } catch (QueryUnavailableException e) {
            metrics.error("unavailable");
            s.send(Frames.error("unavailable", "the read side is unavailable right now; retry", "requestId", requestId));
        }
    }

    private static String type(ClientRequest r) {
        if (r instanceof ClientRequest.History) {
            return "history";
        }
        if (r instanceof ClientRequest.Events) {
            return "events";
        }
        if (r instanceof ClientRequest.Thread) {
            return "thread";
        }
        return "channels";
    }

    private static String requestId(ClientRequest r) {
        if (r instanceof ClientRequest.History h) {
            return h.requestId();
        }
        if (r instanceof ClientRequest.Events e) {
            return e.requestId();
        }
        if (r instanceof ClientRequest.Thread t) {
            return t.requestId();
        }
        if (r instanceof ClientRequest.Channels c) {
            return c.requestId();
        }
        return null;
    }

    /** Live delivery of a channel from a given seq on (after {@code behind}, or to follow a channel anew). */
    private void subscribe(ClientSession s, ClientRequest.Subscribe sub) {
        String channel = sub.channel();
        try {
            Optional<ChannelSummary> summary = queries.channel(channel, ChannelQueries.COMMITTED);
            if (summary.isEmpty()) {
                s.send(Frames.error("unknown_channel", "channel '" + channel + "' does not exist", "channel", channel));
                return;
            }
            if (queries.member(channel, s.user()).isEmpty()) {
                // A private channel is not there for a non-member: the same answer as a missing one.
                s.send("public".equals(summary.get().visibility())
                        ? Frames.error("not_a_member", "only members can follow '" + channel + "'", "channel", channel)
                        : Frames.error("unknown_channel", "channel '" + channel + "' does not exist", "channel", channel));
                return;
            }
            long head = summary.get().head();
            hub.subscribe(s, channel, sub.after() < 0 ? head : sub.after(), head, true, hub.pulls(s, summary.get().memberCount()));
        } catch (QueryUnavailableException e) {
            s.send(Frames.error("unavailable", "the read side is unavailable right now; retry", "channel", channel));
        }
    }

    private void reject(ClientSession s, Invalid e) {
        metrics.error(e.code());
        s.send(Frames.error(e.code(), e.getMessage(), e.idField(), e.id()));
    }
}
