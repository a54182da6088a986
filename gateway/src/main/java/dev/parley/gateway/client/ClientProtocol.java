package dev.parley.gateway.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.avro.Visibility;
import dev.parley.avro.command.AddMember;
import dev.parley.avro.command.CreateChannel;
import dev.parley.avro.command.JoinChannel;
import dev.parley.avro.command.LeaveChannel;
import dev.parley.avro.command.SendMessage;
import dev.parley.avro.command.AddReaction;
import dev.parley.avro.command.DeleteMessage;
import dev.parley.avro.command.EditMessage;
import dev.parley.avro.command.MarkRead;
import dev.parley.avro.command.OpenDirect;
import dev.parley.avro.command.RemoveReaction;
import dev.parley.gateway.hub.Delivery;
import dev.parley.api.query.MessagePage;
import dev.parley.api.query.ThreadPage;
import dev.parley.api.DirectChannels;
import java.util.List;
import dev.parley.gateway.GatewayConfig;
import dev.parley.gateway.GatewayMetrics;
import dev.parley.gateway.auth.AuthException;
import dev.parley.gateway.auth.Principal;
import dev.parley.gateway.auth.TokenVerifier;
import dev.parley.gateway.hub.ClientSession;
import dev.parley.gateway.hub.CloseCodes;
import dev.parley.gateway.hub.Frames;
import dev.parley.gateway.hub.Hub;
import dev.parley.gateway.hub.RecentMemberships;
import dev.parley.gateway.kafka.CommandBus;
import dev.parley.api.query.ChannelQueries;
import dev.parley.api.query.ChannelSummary;
import dev.parley.api.query.EventPage;
import dev.parley.api.query.QueryUnavailableException;
import dev.parley.api.query.UserChannel;
import dev.parley.api.query.UserChannels;
import dev.parley.api.Limits;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket protocol of docs/protocol.md: hello/welcome with resume, sends acked after commit, channel
 * management, history pages and subscriptions. Frames of one connection are handled one at a time, in
 * order; nothing here blocks the log tail or other connections.
 */
public final class ClientProtocol {

    private static final Logger LOG = LoggerFactory.getLogger(ClientProtocol.class);

    private final GatewayConfig config;
    private final TokenVerifier tokens;
    private final Hub hub;
    private final CommandBus bus;
    private final ChannelQueries queries;
    private final ScheduledExecutorService scheduler;
    private final Envelopes envelopes;
    private final GatewayMetrics metrics;

    public ClientProtocol(GatewayConfig config, TokenVerifier tokens, Hub hub, CommandBus bus, ChannelQueries queries,
                          ScheduledExecutorService scheduler, GatewayMetrics metrics) {
        this.config = config;
        this.tokens = tokens;
        this.hub = hub;
        this.bus = bus;
        this.queries = queries;
        this.scheduler = scheduler;
        this.envelopes = new Envelopes(config.gatewayId());
        this.metrics = metrics;
    }

    public void onOpen(ClientSession s) {
        metrics.connectionOpened();
        scheduler.schedule(() -> {
            if (!s.isAuthenticated() && s.isOpen()) {
                s.send(Frames.error("hello_timeout", "no valid hello within " + config.helloTimeout().toSeconds() + " s"));
                s.close(CloseCodes.NOT_AUTHENTICATED, "hello timeout");
            }
        }, config.helloTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    public void onClose(ClientSession s) {
        metrics.connectionClosed();
        s.ended();
        hub.unregister(s);
    }

    /** One text frame from the client. */
    public void onText(ClientSession s, String text) {
        if (text.length() > config.maxFrameBytes()) {
            metrics.error("frame_too_large");
            s.send(Frames.error("frame_too_large", "frames are limited to " + config.maxFrameBytes() + " characters; this one has " + text.length()));
            return;
        }
        JsonNode frame;
        try {
            frame = Frames.JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            metrics.error("bad_frame");
            s.send(Frames.error("bad_frame", "not JSON: " + e.getOriginalMessage()));
            return;
        }
        if (frame == null || !frame.isObject()) {
            metrics.error("bad_frame");
            s.send(Frames.error("bad_frame", "a frame must be a JSON object with a \"type\""));
            return;
        }
        String type = frame.path("type").asText("");
        try {
            if (!s.isAuthenticated()) {
                if (type.equals("hello")) {
                    hello(s, frame);
                } else {
                    metrics.error("not_authenticated");
                    s.send(Frames.error("not_authenticated", "send hello with a token first"));
                }
                return;
            }
            switch (type) {
                case "send" -> send(s, frame);
                case "create_channel" -> create(s, frame);
                case "join" -> command(s, frame, new JoinChannel());
                case "leave" -> command(s, frame, new LeaveChannel());
                case "add_member" -> addMember(s, frame);
                case "edit" -> edit(s, frame);
                case "delete" -> command(s, frame, new DeleteMessage(seq(frame, "seq")));
                case "react" -> command(s, frame, new AddReaction(seq(frame, "seq"), emoji(frame)));
                case "unreact" -> command(s, frame, new RemoveReaction(seq(frame, "seq"), emoji(frame)));
                case "mark_read" -> command(s, frame, new MarkRead(seq(frame, "seq")));
                case "open_dm" -> openDirect(s, frame);
                case "history" -> history(s, frame);
                case "events" -> events(s, frame);
                case "thread" -> thread(s, frame);
                case "channels" -> channels(s, frame);
                case "subscribe" -> subscribe(s, frame);
                case "ping" -> s.send(Frames.frame("pong").toString());
                case "hello" -> s.send(Frames.error("already_authenticated", "this connection already said hello"));
                default -> {
                    metrics.error("unknown_type");
                    s.send(Frames.error("unknown_type", "unknown frame type '" + type + "'"));
                }
            }
        } catch (BadFrame e) {
            metrics.error("invalid");
            s.send(Frames.error("invalid", e.getMessage(), e.idField, e.id));
        }
    }

    /** A client error in a frame's fields. */
    static final class BadFrame extends Exception {
        final String idField;
        final String id;

        BadFrame(String message, String idField, String id) {
            super(message);
            this.idField = idField;
            this.id = id;
        }
    }

    // ---------------------------------------------------------------- hello / welcome

    private void hello(ClientSession s, JsonNode frame) {
        Principal principal;
        try {
            principal = tokens.verify(frame.path("token").asText(null));
        } catch (AuthException e) {
            metrics.error("unauthorized");
            s.send(Frames.error("unauthorized", e.getMessage()));
            s.close(CloseCodes.UNAUTHORIZED, "unauthorized");
            return;
        }
        String device = frame.path("device").asText("");
        if (!Limits.isValidToken(device)) {
            metrics.error("invalid");
            s.send(Frames.error("invalid", "hello needs a \"device\" id (1-128 characters)"));
            return;
        }
        Map<String, Long> resume = new LinkedHashMap<>();
        JsonNode r = frame.path("resume");
        if (!r.isMissingNode() && !r.isNull()) {
            if (!r.isObject()) {
                s.send(Frames.error("invalid", "\"resume\" must be an object of channel -> last seen seq"));
                return;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = r.fields(); it.hasNext(); ) {
                var e = it.next();
                if (!e.getValue().canConvertToLong() || e.getValue().asLong() < 0) {
                    s.send(Frames.error("invalid", "resume seq of '" + e.getKey() + "' must be a non-negative integer"));
                    return;
                }
                resume.put(e.getKey(), e.getValue().asLong());
            }
        }
        s.authenticate(principal, device);
        s.holdUntilWelcome();
        hub.register(s);
        UserChannels mine;
        try {
            mine = queries.channelsOf(principal.user());
        } catch (QueryUnavailableException e) {
            metrics.error("unavailable");
            s.sendWelcome(Frames.error("unavailable", "channel list unavailable, try again: " + e.getMessage()));
            s.close(CloseCodes.TRY_AGAIN_LATER, "try again later");
            return;
        }
        Map<String, UserChannel> channels = new LinkedHashMap<>();
        mine.channels().forEach(c -> channels.put(c.channel(), c));
        // The read side trails the log slightly: apply membership changes this gateway saw more recently.
        for (RecentMemberships.Change c : hub.recent().latestOf(principal.user()).values()) {
            UserChannel known = channels.get(c.channel());
            if (c.joined() && (known == null || known.joinedSeq() < c.seq())) {
                channels.put(c.channel(), new UserChannel(c.channel(), "member", c.seq(), Math.max(c.seq(),
                        known == null ? 0 : known.head()), null, null, c.atMillis(), 0, 0, 0, false));
            } else if (!c.joined() && known != null && known.joinedSeq() < c.seq()) {
                channels.remove(c.channel());
            }
        }
        ObjectNode welcome = Frames.frame("welcome");
        welcome.put("user", principal.user());
        welcome.put("gateway", config.gatewayId());
        ArrayNode list = welcome.putArray("channels");
        for (UserChannel c : channels.values()) {
            ObjectNode n = list.addObject();
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
        }
        ObjectNode limits = welcome.putObject("limits");
        limits.put("maxFrameChars", config.maxFrameBytes());
        limits.put("maxTextChars", Limits.MAX_TEXT_CHARS);
        limits.put("maxCatchUp", config.maxCatchUp());
        s.sendWelcome(welcome.toString());

        for (UserChannel c : channels.values()) {
            Long from = resume.get(c.channel());
            hub.subscribe(s, c.channel(), from == null ? c.head() : from, c.head(), from != null);
        }
        for (String asked : resume.keySet()) {
            if (!channels.containsKey(asked)) {
                s.send(Frames.error("not_a_member", "cannot resume '" + asked + "': not a member (or no such channel)", "channel", asked));
            }
        }
        long ttl = Duration.between(Instant.now(), principal.expiresAt()).toMillis();
        s.expiresWith(scheduler.schedule(() -> {
            if (s.isOpen()) {
                s.send(Frames.error("token_expired", "the token expired; reconnect with a fresh one and resume"));
                s.close(CloseCodes.TOKEN_EXPIRED, "token expired");
            }
        }, Math.max(0, ttl), TimeUnit.MILLISECONDS));
        LOG.debug("{} connected from {} with {} channels, resuming {}", principal.user(), device, channels.size(), resume.keySet());
    }

    // ---------------------------------------------------------------- commands

    private void send(ClientSession s, JsonNode frame) throws BadFrame {
        String clientMsgId = frame.path("clientMsgId").asText(null);
        if (!Limits.isValidToken(clientMsgId)) {
            throw new BadFrame("send needs a \"clientMsgId\" (1-128 characters): it makes retries safe", "clientMsgId", clientMsgId);
        }
        String channel = channel(frame, "clientMsgId", clientMsgId);
        JsonNode textNode = frame.path("text");
        if (!textNode.isTextual() || textNode.asText().isBlank()) {
            throw new BadFrame("send needs a non-empty \"text\"", "clientMsgId", clientMsgId);
        }
        String text = textNode.asText();
        if (text.codePointCount(0, text.length()) > Limits.MAX_TEXT_CHARS) {
            throw new BadFrame("text is limited to " + Limits.MAX_TEXT_CHARS + " characters", "clientMsgId", clientMsgId);
        }
        Long threadRoot = null;
        JsonNode root = frame.path("threadRoot");
        if (!root.isMissingNode() && !root.isNull()) {
            if (!root.canConvertToLong() || root.asLong() < 1) {
                throw new BadFrame("\"threadRoot\" must be the seq of the thread's root message", "clientMsgId", clientMsgId);
            }
            threadRoot = root.asLong();
        }
        long started = System.nanoTime();
        metrics.send();
        var cmd = envelopes.of(s.user(), s.device(), channel, clientMsgId, new SendMessage(text, threadRoot));
        bus.submit(cmd).whenComplete((result, error) -> {
            Outcome o = Outcome.of(result, error, config.sendTimeout().toSeconds());
            if (o instanceof Outcome.Done d) {
                metrics.ack(System.nanoTime() - started);
                ObjectNode ack = Frames.frame("ack");
                ack.put("clientMsgId", clientMsgId);
                ack.put("channel", channel);
                ack.put("seq", d.seq());
                ack.put("messageId", d.messageId());
                if (d.duplicate()) {
                    ack.put("duplicate", true);
                }
                s.send(ack.toString());
            } else if (o instanceof Outcome.Failed f) {
                metrics.error(f.code());
                s.send(Frames.error(f.code(), f.message(), "clientMsgId", clientMsgId));
            } else {
                s.send(Frames.error("internal_error", "unexpected outcome " + o, "clientMsgId", clientMsgId));
            }
        });
    }

    private void create(ClientSession s, JsonNode frame) throws BadFrame {
        boolean isPrivate = frame.path("private").asBoolean(false);
        String title = frame.path("title").isTextual() ? frame.path("title").asText() : null;
        command(s, frame, new CreateChannel(isPrivate ? Visibility.PRIVATE : Visibility.PUBLIC, title));
    }

    private void addMember(ClientSession s, JsonNode frame) throws BadFrame {
        String user = frame.path("user").asText(null);
        if (!Limits.isValidToken(user)) {
            throw new BadFrame("add_member needs the \"user\" to add", "requestId", frame.path("requestId").asText(null));
        }
        command(s, frame, new AddMember(user));
    }

    /** Every command but send: the client's requestId is also the command's idempotency key. */
    private void command(ClientSession s, JsonNode frame, Object command) throws BadFrame {
        String requestId = requestId(frame);
        command(s, frame.path("type").asText(), requestId, channel(frame, "requestId", requestId), command);
    }

    private static String requestId(JsonNode frame) throws BadFrame {
        String requestId = frame.path("requestId").asText(null);
        if (!Limits.isValidToken(requestId)) {
            throw new BadFrame("this frame needs a \"requestId\" (1-128 characters); a retry with the same one is safe", "requestId", requestId);
        }
        return requestId;
    }

    private void command(ClientSession s, String type, String requestId, String channel, Object command) {
        metrics.command(type);
        bus.submit(envelopes.of(s.user(), s.device(), channel, requestId, command)).whenComplete((result, error) -> {
            Outcome o = Outcome.of(result, error, config.sendTimeout().toSeconds());
            ObjectNode ok = Frames.frame("ok");
            ok.put("requestId", requestId);
            ok.put("channel", channel);
            if (o instanceof Outcome.Done d) {
                ok.put("seq", d.seq());
                if (d.duplicate()) {
                    ok.put("duplicate", true);
                }
                s.send(ok.toString());
            } else if (o instanceof Outcome.NoChange n) {
                ok.put("seq", n.head());
                ok.put("unchanged", n.code());
                s.send(ok.toString());
            } else {
                Outcome.Failed f = (Outcome.Failed) o;
                metrics.error(f.code());
                s.send(Frames.error(f.code(), f.message(), "requestId", requestId));
            }
        });
    }

    private void edit(ClientSession s, JsonNode frame) throws BadFrame {
        String requestId = requestId(frame);
        JsonNode text = frame.path("text");
        if (!text.isTextual() || text.asText().isBlank()) {
            throw new BadFrame("edit needs a non-empty \"text\"", "requestId", requestId);
        }
        if (text.asText().codePointCount(0, text.asText().length()) > Limits.MAX_TEXT_CHARS) {
            throw new BadFrame("text is limited to " + Limits.MAX_TEXT_CHARS + " characters", "requestId", requestId);
        }
        command(s, "edit", requestId, channel(frame, "requestId", requestId), new EditMessage(seq(frame, "seq"), text.asText()));
    }

    /** Opens (or finds) the direct channel of the given users and this one; ok carries its id. */
    private void openDirect(ClientSession s, JsonNode frame) throws BadFrame {
        String requestId = requestId(frame);
        JsonNode users = frame.path("users");
        if (!users.isArray() || users.isEmpty()) {
            throw new BadFrame("open_dm needs \"users\": the other members' ids", "requestId", requestId);
        }
        java.util.Set<String> members = new java.util.TreeSet<>();
        members.add(s.user());
        for (JsonNode u : users) {
            if (!u.isTextual() || !Limits.isValidToken(u.asText())) {
                throw new BadFrame("\"users\" must be user ids", "requestId", requestId);
            }
            members.add(u.asText());
        }
        command(s, "open_dm", requestId, DirectChannels.idFor(members), new OpenDirect(List.copyOf(members)));
    }

    private static long seq(JsonNode frame, String field) throws BadFrame {
        JsonNode n = frame.path(field);
        if (!n.canConvertToLong() || n.asLong() < 0) {
            throw new BadFrame("this frame needs \"" + field + "\": a seq number", "requestId", frame.path("requestId").asText(null));
        }
        return n.asLong();
    }

    private static String emoji(JsonNode frame) throws BadFrame {
        String emoji = frame.path("emoji").asText(null);
        if (!Limits.isValidEmoji(emoji)) {
            throw new BadFrame("\"emoji\" must be 1-64 characters without spaces, e.g. ':thumbsup:' or a Unicode emoji",
                    "requestId", frame.path("requestId").asText(null));
        }
        return emoji;
    }

    // ---------------------------------------------------------------- reading

    /** A page of history: messages in their current state (edits applied, deletions tombstoned, reactions). */
    private void history(ClientSession s, JsonNode frame) throws BadFrame {
        String requestId = frame.path("requestId").asText(null);
        String channel = channel(frame, "requestId", requestId);
        int limit = Math.max(1, Math.min(ChannelQueries.MAX_PAGE, frame.path("limit").asInt(50)));
        readPage(s, requestId, channel, () -> {
            MessagePage page = queries.messagesBefore(channel, frame.path("before").asLong(Long.MAX_VALUE), limit);
            ObjectNode n = reply("history", requestId, channel);
            n.putArray("messages").addAll(page.messages());
            n.put("head", page.head());
            n.put("more", page.more());
            return n;
        });
    }

    /**
     * A page of raw events (what resume replays) after a seq — e.g. to page through after a {@code behind} — or
     * before one, for clients that keep an event-sourced model of the channel.
     */
    private void events(ClientSession s, JsonNode frame) throws BadFrame {
        String requestId = frame.path("requestId").asText(null);
        String channel = channel(frame, "requestId", requestId);
        int limit = Math.max(1, Math.min(ChannelQueries.MAX_PAGE, frame.path("limit").asInt(500)));
        readPage(s, requestId, channel, () -> {
            EventPage page = frame.has("before")
                    ? queries.eventsBefore(channel, frame.path("before").asLong(Long.MAX_VALUE), limit)
                    : queries.eventsAfter(channel, frame.path("after").asLong(0), limit);
            ObjectNode n = reply("events", requestId, channel);
            ArrayNode events = n.putArray("events");
            page.events().forEach(e -> events.add(Delivery.visibleTo(e, s.user())));
            n.put("head", page.head());
            n.put("more", page.more());
            return n;
        });
    }

    /** A thread: the root message and a page of its replies, in their current state. */
    private void thread(ClientSession s, JsonNode frame) throws BadFrame {
        String requestId = frame.path("requestId").asText(null);
        String channel = channel(frame, "requestId", requestId);
        long root = seq(frame, "root");
        int limit = Math.max(1, Math.min(ChannelQueries.MAX_PAGE, frame.path("limit").asInt(100)));
        readPage(s, requestId, channel, () -> {
            Optional<ThreadPage> page = queries.thread(channel, root, frame.path("after").asLong(0), limit);
            if (page.isEmpty()) {
                return null;
            }
            ObjectNode n = reply("thread", requestId, channel);
            n.set("root", page.get().root());
            n.putArray("replies").addAll(page.get().replies());
            n.put("more", page.get().more());
            return n;
        });
    }

    /** The user's channels with heads, read cursors and unread counts (as in welcome). */
    private void channels(ClientSession s, JsonNode frame) {
        String requestId = frame.path("requestId").asText(null);
        try {
            ObjectNode n = Frames.frame("channels");
            if (requestId != null) {
                n.put("requestId", requestId);
            }
            ArrayNode list = n.putArray("channels");
            for (UserChannel c : queries.channelsOf(s.user()).channels()) {
                list.add(Frames.JSON.valueToTree(c));
            }
            s.send(n.toString());
        } catch (QueryUnavailableException e) {
            s.send(Frames.error("unavailable", "try again: " + e.getMessage(), "requestId", requestId));
        }
    }

    private interface PageReader {
        ObjectNode read();
    }

    private void readPage(ClientSession s, String requestId, String channel, PageReader reader) {
        try {
            String refusal = readRefusal(s.user(), channel);
            if (refusal != null) {
                s.send(Frames.error(refusal, refusalMessage(refusal, channel), "requestId", requestId));
                return;
            }
            ObjectNode page = reader.read();
            if (page == null) {
                s.send(Frames.error("unknown_message", "no such message in '" + channel + "'", "requestId", requestId));
            } else {
                s.send(page.toString());
            }
        } catch (QueryUnavailableException e) {
            metrics.error("unavailable");
            s.send(Frames.error("unavailable", "history is unavailable right now; retry: " + e.getMessage(), "requestId", requestId));
        }
    }

    private static ObjectNode reply(String type, String requestId, String channel) {
        ObjectNode n = Frames.frame(type);
        if (requestId != null) {
            n.put("requestId", requestId);
        }
        n.put("channel", channel);
        return n;
    }

    /** Live delivery of a channel from a given seq on (after {@code behind}, or to follow a channel anew). */
    private void subscribe(ClientSession s, JsonNode frame) throws BadFrame {
        String channel = channel(frame, "channel", null);
        long after = frame.path("after").asLong(-1);
        try {
            Optional<ChannelSummary> summary = queries.channel(channel);
            if (summary.isEmpty()) {
                s.send(Frames.error("unknown_channel", "channel '" + channel + "' does not exist", "channel", channel));
                return;
            }
            if (queries.member(channel, s.user()).isEmpty()) {
                s.send(Frames.error("not_a_member", "only members can follow '" + channel + "'", "channel", channel));
                return;
            }
            long head = summary.get().head();
            hub.subscribe(s, channel, after < 0 ? head : after, head, true);
        } catch (QueryUnavailableException e) {
            s.send(Frames.error("unavailable", "try again: " + e.getMessage(), "channel", channel));
        }
    }

    /** Null when the user may read the channel's history, else the error code. */
    public String readRefusal(String user, String channel) {
        Optional<ChannelSummary> summary = queries.channel(channel);
        if (summary.isEmpty()) {
            return "unknown_channel";
        }
        if ("public".equals(summary.get().visibility())) {
            return null;
        }
        return queries.member(channel, user).isPresent() ? null : "not_a_member";
    }

    public static String refusalMessage(String code, String channel) {
        return code.equals("unknown_channel") ? "channel '" + channel + "' does not exist"
                : "'" + channel + "' is private and you are not a member";
    }

    private static String channel(JsonNode frame, String idField, String id) throws BadFrame {
        String channel = frame.path("channel").asText(null);
        if (!Limits.isValidChannelId(channel)) {
            throw new BadFrame(channel == null ? "this frame needs a \"channel\""
                    : "channel id '" + channel + "' is not valid: 1-80 letters, digits, '.', '_' or '-'", idField, id);
        }
        return channel;
    }
}
