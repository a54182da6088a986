package dev.parley.gateway.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.api.http.JsonResponses;
import dev.parley.gateway.auth.AuthException;
import dev.parley.gateway.auth.Principal;
import dev.parley.gateway.auth.TokenVerifier;
import dev.parley.gateway.client.FrameReader;
import dev.parley.gateway.client.Invalid;
import dev.parley.gateway.hub.Frames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * One REST exchange: its path parameters, query, headers and body, and the ways to answer. A REST call is
 * turned into the same JSON object a WebSocket frame would be ({@link #frame}), so both transports share one
 * validation layer.
 */
final class RestCall {

    final Request request;
    final Response response;
    final Callback callback;
    private final Map<String, String> params;
    private Fields query;

    RestCall(Request request, Response response, Callback callback, Map<String, String> params) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.params = params;
    }

    String method() {
        return request.getMethod();
    }

    String param(String name) {
        return params.get(name);
    }

    String header(String name) {
        return request.getHeaders().get(name);
    }

    String query(String name) {
        if (query == null) {
            query = Request.extractQueryParameters(request);
        }
        return query.getValue(name);
    }

    Principal principal(TokenVerifier tokens) throws AuthException {
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new AuthException("send 'Authorization: Bearer <token>'");
        }
        return tokens.verify(auth.substring(7).trim());
    }

    /**
     * The body as a JSON object, read up to {@code maxBytes}: a larger one is refused with {@code too_large}
     * (413) whether it declares its length or is chunked, and never held in memory beyond the limit.
     */
    ObjectNode body(FrameReader reader, int maxBytes) throws Invalid, IOException {
        long declared = request.getLength();
        if (declared > maxBytes) {
            throw tooLarge(maxBytes);
        }
        byte[] bytes;
        try (InputStream in = Content.Source.asInputStream(request)) {
            bytes = in.readNBytes(maxBytes + 1);
        }
        if (bytes.length > maxBytes) {
            throw tooLarge(maxBytes);
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        String text;
        try {
            text = utf8.decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new Invalid("bad_frame", "the body is not UTF-8", null, null);
        }
        return (ObjectNode) reader.read(text);
    }

    private static Invalid tooLarge(int maxBytes) {
        return new Invalid("too_large", "request bodies are limited to " + maxBytes + " bytes", null, null);
    }

    /** A request object of the given type, to which the caller adds what the path, headers and query carry. */
    static ObjectNode frame(String type) {
        return Frames.frame(type);
    }

    /** Copies query parameters into a request object: integers as numbers, anything else as text (which fails validation). */
    void queryInto(ObjectNode frame, String... names) {
        for (String name : names) {
            String v = query(name);
            if (v != null) {
                putNumberOrText(frame, name, v);
            }
        }
    }

    static void putNumberOrText(ObjectNode frame, String name, String v) {
        try {
            frame.put(name, Long.parseLong(v));
        } catch (NumberFormatException e) {
            frame.put(name, v);
        }
    }

    void json(int status, Object body) {
        JsonResponses.json(response, callback, status, body);
    }

    void error(String code, String message) {
        if (Statuses.of(code) == 413) {
            // The body was not read to its end: this connection ends here, so the client does not send its
            // next request on a socket the server is about to close.
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        JsonResponses.error(response, callback, Statuses.of(code), code, message);
    }

    /** An error that asks the client to wait: {@code Retry-After} (seconds) and {@code retryAfterMs} in the body. */
    void error(String code, String message, long retryAfterMs) {
        if (retryAfterMs <= 0) {
            error(code, message);
            return;
        }
        response.getHeaders().put(HttpHeader.RETRY_AFTER, String.valueOf(Math.max(1, (retryAfterMs + 999) / 1000)));
        ObjectNode body = Frames.JSON.createObjectNode();
        body.put("error", code);
        body.put("message", message);
        body.put("retryAfterMs", retryAfterMs);
        JsonResponses.json(response, callback, Statuses.of(code), body.toString());
    }
}
