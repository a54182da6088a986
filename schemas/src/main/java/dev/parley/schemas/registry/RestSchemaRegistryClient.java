package dev.parley.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * Talks to any registry that speaks the Confluent Schema Registry REST API (Confluent, Apicurio's
 * ccompat API, Karapace, or Parley's own). Several base URLs may be given; a request goes to the next
 * one when a URL cannot be reached. Not cached: wrap it in {@link CachingSchemaRegistryClient}.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<URI> baseUrls;
    private final Optional<String> authorization;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param baseUrls      registry base URLs, e.g. {@code http://localhost:8081}
     * @param basicUserInfo {@code user:password} for HTTP basic auth, or empty
     * @param timeout       per-request timeout
     */
    public RestSchemaRegistryClient(List<URI> baseUrls, Optional<String> basicUserInfo, Duration timeout) {
        if (baseUrls.isEmpty()) {
            throw new IllegalArgumentException("at least one schema registry URL is needed");
        }
        this.baseUrls = List.copyOf(baseUrls);
        this.authorization = basicUserInfo.map(u -> "Basic " + Base64.getEncoder().encodeToString(u.getBytes(StandardCharsets.UTF_8)));
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public int register(String subject, Schema schema) {
        JsonNode body = send("POST", "/subjects/" + enc(subject) + "/versions", schemaBody(schema));
        return body.path("id").asInt();
    }

    @Override
    public Schema schemaById(int id) {
        JsonNode body = send("GET", "/schemas/ids/" + id, null);
        return parse(body.path("schema").asText());
    }

    @Override
    public RegisteredSchema latest(String subject) {
        return registered(send("GET", "/subjects/" + enc(subject) + "/versions/latest", null));
    }

    @Override
    public RegisteredSchema version(String subject, int version) {
        return registered(send("GET", "/subjects/" + enc(subject) + "/versions/" + version, null));
    }

    @Override
    public RegisteredSchema lookup(String subject, Schema schema) {
        return registered(send("POST", "/subjects/" + enc(subject), schemaBody(schema)));
    }

    @Override
    public List<String> subjects() {
        JsonNode body = send("GET", "/subjects", null);
        List<String> out = new ArrayList<>();
        body.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Override
    public List<String> compatibilityProblems(String subject, Schema schema) {
        JsonNode body;
        try {
            body = send("POST", "/compatibility/subjects/" + enc(subject) + "/versions/latest?verbose=true", schemaBody(schema));
        } catch (RegistryException e) {
            if (e.errorCode() == RegistryException.SUBJECT_NOT_FOUND || e.errorCode() == RegistryException.VERSION_NOT_FOUND) {
                return List.of(); // nothing registered yet: anything is compatible
            }
            throw e;
        }
        if (body.path("is_compatible").asBoolean(false)) {
            return List.of();
        }
        List<String> messages = new ArrayList<>();
        body.path("messages").forEach(m -> messages.add(m.asText()));
        if (messages.isEmpty()) {
            messages.add("incompatible with the latest version of " + subject);
        }
        return messages;
    }

    private static RegisteredSchema registered(JsonNode body) {
        return new RegisteredSchema(body.path("subject").asText(), body.path("id").asInt(),
                body.path("version").asInt(), parse(body.path("schema").asText()));
    }

    private static Schema parse(String text) {
        try {
            return new Schema.Parser().parse(text);
        } catch (RuntimeException e) {
            throw new RegistryException(422, RegistryException.INVALID_SCHEMA, "the registry returned a schema that is not valid Avro: " + e.getMessage());
        }
    }

    private static String schemaBody(Schema schema) {
        ObjectNode node = JSON.createObjectNode();
        node.put("schema", schema.toString());
        return node.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode send(String method, String path, String body) {
        RegistryException last = null;
        for (URI base : baseUrls) {
            String root = base.toString().endsWith("/") ? base.toString().substring(0, base.toString().length() - 1) : base.toString();
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(root + path))
                    .timeout(timeout)
                    .header("Accept", CONTENT_TYPE + ", application/json");
            authorization.ifPresent(a -> req.header("Authorization", a));
            if (body == null) {
                req.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                req.header("Content-Type", CONTENT_TYPE).method(method, HttpRequest.BodyPublishers.ofString(body));
            }
            try {
                HttpResponse<String> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
                JsonNode json = resp.body() == null || resp.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(resp.body());
                if (resp.statusCode() / 100 == 2) {
                    return json;
                }
                int code = json.path("error_code").asInt(resp.statusCode());
                String message = json.path("message").asText("HTTP " + resp.statusCode() + " from " + root + path);
                RegistryException e = new RegistryException(resp.statusCode(), code, message);
                if (!e.isTransient()) {
                    throw e;
                }
                last = e;
            } catch (IOException e) {
                last = new RegistryException("schema registry at " + root + " could not be reached: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryException("interrupted while calling the schema registry", e);
            }
        }
        throw last;
    }
}
