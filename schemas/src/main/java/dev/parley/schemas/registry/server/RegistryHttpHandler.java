package dev.parley.schemas.registry.server;

import dev.parley.schemas.registry.server.RegistryRoutes.ApiRequest;
import dev.parley.schemas.registry.server.RegistryRoutes.ApiResponse;
import dev.parley.schemas.registry.RegistryException;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty 12 core handler: basic auth, content types, body and path decoding; everything else is
 * {@link RegistryRoutes}. Answers are {@code application/vnd.schemaregistry.v1+json}.
 */
final class RegistryHttpHandler extends Handler.Abstract {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Set<String> ACCEPTED_BODY_TYPES = Set.of(CONTENT_TYPE, "application/vnd.schemaregistry+json",
            "application/json", "application/octet-stream");
    private static final int MAX_BODY_BYTES = 8 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(RegistryHttpHandler.class);

    private final RegistryRoutes routes;
    private final Optional<BasicCredentials> credentials;

    RegistryHttpHandler(RegistryRoutes routes, Optional<BasicCredentials> credentials) {
        this.routes = routes;
        this.credentials = credentials;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        ApiResponse answer;
        try {
            answer = answer(request);
        } catch (Exception e) {
            LOG.warn("{} {} failed: {}", request.getMethod(), request.getHttpURI().getPath(), e.toString());
            answer = RegistryRoutes.error(500, RegistryException.STORE_ERROR, "Internal error: " + e);
        }
        response.setStatus(answer.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, CONTENT_TYPE);
        if (answer.status() == 401) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"parley-schema-registry\"");
        }
        if (answer.status() == 413) {
            // The rest of the body was not read: tell the client this connection ends here, so it does not
            // send its next request on a socket the server is about to close (RFC 9110 15.5.14).
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        Content.Sink.write(response, true, answer.body(), callback);
        return true;
    }

    private ApiResponse answer(Request request) throws Exception {
        if (credentials.isPresent() && !credentials.get().matches(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
            return RegistryRoutes.error(401, 401, "Unauthorized: this registry needs HTTP basic auth credentials");
        }
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        String body = "";
        if (method.equals("POST") || method.equals("PUT")) {
            String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
            String mime = type == null ? null : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (mime != null && !mime.isEmpty() && !ACCEPTED_BODY_TYPES.contains(mime)) {
                return RegistryRoutes.error(415, 415, "Unsupported content type '" + type + "'; send " + CONTENT_TYPE + " or application/json");
            }
            Optional<String> text = boundedBody(request);
            if (text.isEmpty()) {
                return RegistryRoutes.error(413, 413, "Request body larger than " + MAX_BODY_BYTES + " bytes");
            }
            body = text.get();
        }
        List<String> path;
        try {
            path = segments(request.getHttpURI().getPath());
        } catch (IllegalArgumentException e) {
            return RegistryRoutes.error(400, 400, "Malformed path: " + e.getMessage());
        }
        return routes.handle(new ApiRequest(method, path, query(request), body));
    }

    /**
     * The body as UTF-8, or empty when it is larger than {@link #MAX_BODY_BYTES}. The limit applies to the
     * bytes actually read, so a chunked body (no Content-Length) cannot go past it; a declared length above it
     * is refused before reading anything.
     */
    private static Optional<String> boundedBody(Request request) throws IOException {
        if (request.getLength() > MAX_BODY_BYTES) {
            return Optional.empty();
        }
        byte[] bytes = Content.Source.asInputStream(request).readNBytes(MAX_BODY_BYTES + 1);
        return bytes.length > MAX_BODY_BYTES ? Optional.empty() : Optional.of(new String(bytes, StandardCharsets.UTF_8));
    }

    /** Splits a raw path into percent-decoded segments ({@code +} stays a plus sign), ignoring empty ones. */
    static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        if (rawPath == null) {
            return out;
        }
        for (String s : rawPath.split("/")) {
            if (!s.isEmpty()) {
                out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static Map<String, String> query(Request request) {
        Map<String, String> out = new HashMap<>();
        Fields fields = Request.extractQueryParameters(request);
        for (Fields.Field f : fields) {
            out.put(f.getName(), f.getValue());
        }
        return out;
    }
}
