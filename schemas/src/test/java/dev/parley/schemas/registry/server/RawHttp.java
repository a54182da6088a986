package dev.parley.schemas.registry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** Plain {@code java.net.http} calls to a registry, for asserting exact statuses, headers and JSON bodies. */
final class RawHttp {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** A response: status, content type and the body as text and (when it is JSON) as a tree. */
    record Reply(int status, String contentType, String text, JsonNode json, HttpResponse<String> raw) {
        int errorCode() {
            return json.path("error_code").asInt(-1);
        }

        String message() {
            return json.path("message").asText("");
        }
    }

    private final URI base;
    private final String authorization;

    RawHttp(URI base) {
        this(base, null);
    }

    RawHttp(URI base, String authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    Reply get(String path) {
        return send("GET", path, null, null);
    }

    Reply delete(String path) {
        return send("DELETE", path, null, null);
    }

    Reply post(String path, String body) {
        return send("POST", path, body, "application/vnd.schemaregistry.v1+json");
    }

    Reply put(String path, String body) {
        return send("PUT", path, body, "application/vnd.schemaregistry.v1+json");
    }

    /**
     * A POST whose body has no Content-Length (sent with {@code Transfer-Encoding: chunked}), so a size limit
     * can only be enforced on the bytes actually read.
     */
    Reply postChunked(String path, String body) {
        return exchange("POST", path, HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofString(body)),
                "application/vnd.schemaregistry.v1+json");
    }

    /** {"schema": text} as a request body. */
    static String schemaBody(String schemaText) {
        return JSON.createObjectNode().put("schema", schemaText).toString();
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    Reply send(String method, String path, String body, String contentType) {
        return exchange(method, path, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body),
                contentType);
    }

    private Reply exchange(String method, String path, HttpRequest.BodyPublisher body, String contentType) {
        HttpRequest.Builder req = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            req.header("Authorization", authorization);
        }
        if (contentType != null) {
            req.header("Content-Type", contentType);
        }
        req.method(method, body);
        try {
            HttpResponse<String> resp = HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json;
            try {
                json = resp.body().isEmpty() ? JSON.missingNode() : JSON.readTree(resp.body());
            } catch (IOException notJson) {
                json = JSON.missingNode();
            }
            Optional<String> type = resp.headers().firstValue("Content-Type");
            return new Reply(resp.statusCode(), type.orElse(""), resp.body(), json, resp);
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
