package dev.parley.gateway.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.api.Limits;
import dev.parley.gateway.auth.Principal;
import dev.parley.gateway.auth.TokenVerifier;
import dev.parley.gateway.client.ClientRequest;
import dev.parley.gateway.client.CommandService;
import dev.parley.gateway.client.FrameReader;
import dev.parley.gateway.client.Invalid;
import dev.parley.gateway.client.Outcome;
import dev.parley.gateway.client.RequestParser;
import dev.parley.gateway.hub.Frames;
import java.util.UUID;

/** REST calls that change things: they become the same commands as the WebSocket's, through the same parser. */
final class RestWrites {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final TokenVerifier tokens;
    private final FrameReader reader;
    private final CommandService commands;
    private final int maxBodyBytes;

    RestWrites(TokenVerifier tokens, FrameReader reader, CommandService commands, int maxBodyBytes) {
        this.tokens = tokens;
        this.reader = reader;
        this.commands = commands;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** {@code POST /api/v1/channels/{channel}/messages {"text", "threadRoot"?}} with a required Idempotency-Key. */
    void postMessage(RestCall call) throws Exception {
        Principal who = call.principal(tokens);
        ObjectNode frame = call.body(reader, maxBodyBytes);
        frame.put("type", "send");
        frame.put("channel", call.param("channel"));
        putOrRemove(frame, "clientMsgId", call.header(IDEMPOTENCY_KEY));
        submit(call, who, (ClientRequest.Command) RequestParser.parse(frame, who.user()));
    }

    /** {@code POST /api/v1/channels {"channel", "private"?, "title"?}}; Idempotency-Key optional (a retry answers the same). */
    void createChannel(RestCall call) throws Exception {
        Principal who = call.principal(tokens);
        ObjectNode frame = call.body(reader, maxBodyBytes);
        frame.put("type", "create_channel");
        String key = call.header(IDEMPOTENCY_KEY);
        frame.put("requestId", key == null ? UUID.randomUUID().toString() : key);
        submit(call, who, (ClientRequest.Command) RequestParser.parse(frame, who.user()));
    }

    private void submit(RestCall call, Principal who, ClientRequest.Command c) {
        commands.submit(who.user(), "rest", null, c).thenAccept(o -> answer(call, c, o));
    }

    private static void answer(RestCall call, ClientRequest.Command c, Outcome o) {
        if (o instanceof Outcome.Done d) {
            ObjectNode n = Frames.JSON.createObjectNode();
            n.put("channel", c.channel());
            n.put("seq", d.seq());
            if (c.isSend()) {
                n.put("messageId", d.messageId());
            }
            n.put("duplicate", d.duplicate());
            call.json(d.duplicate() ? 200 : 201, n.toString());
        } else if (o instanceof Outcome.NoChange u) {
            ObjectNode n = Frames.JSON.createObjectNode();
            n.put("channel", c.channel());
            n.put("seq", u.head());
            n.put("unchanged", u.code());
            call.json(200, n.toString());
        } else if (o instanceof Outcome.CursorMoved m) {
            ObjectNode n = Frames.JSON.createObjectNode();
            n.put("channel", c.channel());
            n.put("upTo", m.upTo());
            call.json(200, n.toString());
        } else {
            Outcome.Failed f = (Outcome.Failed) o;
            call.error(f.code(), f.message(), f.retryAfterMs());
        }
    }

    static String devTokenUser(JsonNode body) throws Invalid {
        JsonNode user = body.get("user");
        if (user == null || !user.isTextual() || !Limits.isValidToken(user.textValue())) {
            throw new Invalid("body must be {\"user\": \"<user id>\"}", null, null);
        }
        return user.textValue();
    }

    private static void putOrRemove(ObjectNode frame, String field, String value) {
        if (value == null) {
            frame.remove(field);
        } else {
            frame.put(field, value);
        }
    }
}
