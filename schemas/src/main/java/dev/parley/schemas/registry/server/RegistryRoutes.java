package dev.parley.schemas.registry.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.schemas.registry.RegisteredSchema;
import dev.parley.schemas.registry.RegistryException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Confluent Schema Registry REST API (the subset clients use) over {@link SchemaRegistryCore}: maps a
 * method and path to a core call and the answer to Confluent's JSON shapes and error bodies
 * ({@code {"error_code":N,"message":"..."}}). No HTTP server types: {@link RegistryHttpHandler} adapts Jetty.
 */
final class RegistryRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryRoutes.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A request: method, decoded path segments, query parameters (first value of each), body text (may be empty). */
    record ApiRequest(String method, List<String> path, Map<String, String> query, String body) {
    }

    /** An answer: HTTP status and body text (JSON). */
    record ApiResponse(int status, String body) {
    }

    private final SchemaRegistryCore core;

    RegistryRoutes(SchemaRegistryCore core) {
        this.core = core;
    }

    ApiResponse handle(ApiRequest request) {
        try {
            return route(request);
        } catch (RegistryException e) {
            int status = e.httpStatus() >= 400 ? e.httpStatus() : 500;
            return error(status, e.errorCode() > 0 ? e.errorCode() : RegistryException.STORE_ERROR, e.getMessage());
        } catch (BadRequest e) {
            return error(400, 400, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("{} /{} failed", request.method(), String.join("/", request.path()), e);
            return error(500, RegistryException.STORE_ERROR, "Internal error: " + e);
        }
    }

    static ApiResponse error(int status, int code, String message) {
        return new ApiResponse(status, JSON.createObjectNode().put("error_code", code).put("message", message).toString());
    }

    private ApiResponse route(ApiRequest r) {
        List<String> p = r.path();
        if (p.isEmpty()) {
            return r.method().equals("GET") ? ok(JSON.createObjectNode()) : notAllowed();
        }
        return switch (p.get(0)) {
            case "subjects" -> subjects(r, p);
            case "schemas" -> schemas(r, p);
            case "compatibility" -> compatibility(r, p);
            case "config" -> config(r, p);
            case "mode" -> p.size() <= 2 && r.method().equals("GET")
                    ? ok(JSON.createObjectNode().put("mode", "READWRITE")) : notFoundOrNotAllowed(p.size() <= 2);
            default -> notFound(); // includes /associations/..., which Confluent's JS client tolerates as 404
        };
    }

    // ------------------------------------------------------------------ /subjects

    private ApiResponse subjects(ApiRequest r, List<String> p) {
        String m = r.method();
        boolean deleted = flag(r, "deleted");
        if (p.size() == 1) {
            return m.equals("GET") ? ok(strings(core.subjects(r.query().get("subjectPrefix"), deleted))) : notAllowed();
        }
        String subject = p.get(1);
        if (p.size() == 2) {
            return switch (m) {
                case "POST" -> {
                    JsonNode body = schemaBody(r);
                    yield ok(full(core.lookup(subject, text(body, "schema"), text(body, "schemaType"), deleted)));
                }
                case "DELETE" -> ok(ints(core.deleteSubject(subject, flag(r, "permanent"))));
                default -> notAllowed();
            };
        }
        if (!p.get(2).equals("versions")) {
            return notFound();
        }
        if (p.size() == 3) {
            return switch (m) {
                case "GET" -> ok(ints(core.versions(subject, deleted)));
                case "POST" -> {
                    JsonNode body = schemaBody(r);
                    RegisteredSchema registered = core.register(subject, text(body, "schema"), text(body, "schemaType"));
                    yield ok(JSON.createObjectNode().put("id", registered.id()));
                }
                default -> notAllowed();
            };
        }
        String version = p.get(3);
        if (p.size() == 4) {
            return switch (m) {
                case "GET" -> ok(full(core.version(subject, version, deleted)));
                case "DELETE" -> ok(JSON.getNodeFactory().numberNode(core.deleteVersion(subject, version, flag(r, "permanent"))));
                default -> notAllowed();
            };
        }
        if (p.size() == 5 && p.get(4).equals("schema")) {
            return m.equals("GET") ? new ApiResponse(200, core.version(subject, version, deleted).schema().toString()) : notAllowed();
        }
        if (p.size() == 5 && p.get(4).equals("referencedby")) {
            core.version(subject, version, deleted); // 404s as Confluent does; references are not supported, so none
            return m.equals("GET") ? ok(JSON.createArrayNode()) : notAllowed();
        }
        return notFound();
    }

    // ------------------------------------------------------------------ /schemas

    private ApiResponse schemas(ApiRequest r, List<String> p) {
        if (!r.method().equals("GET")) {
            return notFoundOrNotAllowed(p.size() >= 2 && (p.get(1).equals("types") || p.get(1).equals("ids")));
        }
        if (p.size() == 2 && p.get(1).equals("types")) {
            return ok(strings(List.of(AvroSchemas.AVRO)));
        }
        if (p.size() < 3 || p.size() > 4 || !p.get(1).equals("ids")) {
            return notFound();
        }
        int id = schemaId(p.get(2));
        if (p.size() == 3) {
            return ok(JSON.createObjectNode().put("schema", core.schemaTextById(id)));
        }
        return switch (p.get(3)) {
            case "schema" -> new ApiResponse(200, core.schemaTextById(id));
            case "subjects" -> ok(strings(core.usesOf(id, flag(r, "deleted")).stream()
                    .map(SchemaRegistryCore.SubjectVersion::subject).distinct().toList()));
            case "versions" -> {
                ArrayNode out = JSON.createArrayNode();
                core.usesOf(id, flag(r, "deleted")).forEach(u -> out.addObject().put("subject", u.subject()).put("version", u.version()));
                yield ok(out);
            }
            default -> notFound();
        };
    }

    // ------------------------------------------------------------------ /compatibility

    private ApiResponse compatibility(ApiRequest r, List<String> p) {
        if (p.size() < 4 || p.size() > 5 || !p.get(1).equals("subjects") || !p.get(3).equals("versions")) {
            return notFound();
        }
        if (!r.method().equals("POST")) {
            return notAllowed();
        }
        JsonNode body = schemaBody(r);
        List<String> problems = core.compatibilityProblems(p.get(2), p.size() == 5 ? p.get(4) : null,
                text(body, "schema"), text(body, "schemaType"));
        ObjectNode out = JSON.createObjectNode().put("is_compatible", problems.isEmpty());
        if (flag(r, "verbose")) {
            out.set("messages", strings(problems));
        }
        return ok(out);
    }

    // ------------------------------------------------------------------ /config

    private ApiResponse config(ApiRequest r, List<String> p) {
        if (p.size() > 2) {
            return notFound();
        }
        String m = r.method();
        if (p.size() == 1) {
            return switch (m) {
                case "GET" -> ok(level(core.globalLevel()));
                case "PUT" -> ok(JSON.createObjectNode().put("compatibility", core.setGlobalLevel(levelBody(r)).name()));
                case "DELETE" -> ok(level(core.resetGlobalLevel()));
                default -> notAllowed();
            };
        }
        String subject = p.get(1);
        return switch (m) {
            case "GET" -> {
                CompatibilityLevel own = core.subjectLevel(subject).orElse(null);
                if (own == null && !flag(r, "defaultToGlobal")) {
                    throw SchemaRegistryCore.noSubjectLevel(subject);
                }
                yield ok(level(own != null ? own : core.globalLevel()));
            }
            case "PUT" -> ok(JSON.createObjectNode().put("compatibility", core.setSubjectLevel(subject, levelBody(r)).name()));
            case "DELETE" -> ok(level(core.clearSubjectLevel(subject)));
            default -> notAllowed();
        };
    }

    // ------------------------------------------------------------------ helpers

    /** Thrown for a body that is not the JSON the endpoint needs. */
    private static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }

    private static ObjectNode level(CompatibilityLevel level) {
        return JSON.createObjectNode().put("compatibilityLevel", level.name());
    }

    private static CompatibilityLevel levelBody(ApiRequest r) {
        JsonNode body = json(r);
        String level = text(body, "compatibility");
        return CompatibilityLevel.parse(level != null ? level : text(body, "compatibilityLevel"));
    }

    private static JsonNode schemaBody(ApiRequest r) {
        JsonNode body = json(r);
        JsonNode refs = body.path("references");
        if (refs.isArray() && !refs.isEmpty()) {
            throw new RegistryException(422, RegistryException.INVALID_SCHEMA,
                    "Invalid schema: schema references are not supported by Parley's registry; inline the referenced types");
        }
        return body;
    }

    private static JsonNode json(ApiRequest r) {
        if (r.body() == null || r.body().isBlank()) {
            throw new BadRequest("The request needs a JSON body");
        }
        try {
            JsonNode node = JSON.readTree(r.body());
            if (node == null || !node.isObject()) {
                throw new BadRequest("The request body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new BadRequest("The request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static boolean flag(ApiRequest r, String name) {
        return Boolean.parseBoolean(r.query().getOrDefault(name, "false").trim());
    }

    private static int schemaId(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new RegistryException(404, RegistryException.SCHEMA_NOT_FOUND, "Schema " + text + " not found");
        }
    }

    private static ObjectNode full(RegisteredSchema s) {
        return JSON.createObjectNode().put("subject", s.subject()).put("version", s.version()).put("id", s.id())
                .put("schema", s.schema().toString());
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode out = JSON.createArrayNode();
        values.forEach(out::add);
        return out;
    }

    private static ArrayNode ints(List<Integer> values) {
        ArrayNode out = JSON.createArrayNode();
        values.forEach(out::add);
        return out;
    }

    private static ApiResponse ok(JsonNode body) {
        return new ApiResponse(200, body.toString());
    }

    private static ApiResponse notFound() {
        return error(404, 404, "HTTP 404 Not Found");
    }

    private static ApiResponse notAllowed() {
        return error(405, 405, "HTTP 405 Method Not Allowed");
    }

    private static ApiResponse notFoundOrNotAllowed(boolean pathExists) {
        return pathExists ? notAllowed() : notFound();
    }
}
