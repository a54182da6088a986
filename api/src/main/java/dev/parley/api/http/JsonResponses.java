package dev.parley.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Writing JSON answers and JSON errors ({@code {"error": code, "message": text}}) from Jetty core handlers. */
public final class JsonResponses {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonResponses() {
    }

    public static void json(Response response, Callback callback, int status, Object body) {
        String text;
        try {
            text = body instanceof String s ? s : MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            callback.failed(e);
            return;
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        Content.Sink.write(response, true, text, callback);
    }

    public static void error(Response response, Callback callback, int status, String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        json(response, callback, status, body);
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
