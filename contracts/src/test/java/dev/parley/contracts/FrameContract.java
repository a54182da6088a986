package dev.parley.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The server frames of docs/contracts/asyncapi.yaml as a set of paths — {@code welcome}, {@code welcome.channels},
 * {@code WelcomeChannel.head}, {@code event[message].text}, {@code event.seq} (fields every kind has),
 * {@code error.code=not_a_member} — and the same paths read off received frames, so that the two sets can be compared
 * both ways. The fields of a named schema ({@code #/components/schemas/MessageView}, used by history, thread root and
 * replies) are paths of the schema ({@code MessageView.editedAt}), wherever a frame carries it: a field is one field
 * of the contract, produced by one piece of code, however many frames embed it.
 */
final class FrameContract {

    /** String fields whose values are part of the contract (each value is a path of its own). */
    static final Set<String> TRACKED_VALUES = Set.of("code", "unchanged", "reason");
    private static final String SCHEMAS = "#/components/schemas/";
    private static final String EVENT_REF = SCHEMAS + "Event";

    private final JsonNode root;
    private final Set<String> baseEventFields = new TreeSet<>();
    /** Where a frame embeds a named schema (e.g. {@code thread.replies[]}) -> the schema's name ({@code MessageView}). */
    private final Map<String, String> embedded = new HashMap<>();
    private final Set<String> documented = new TreeSet<>();

    FrameContract(JsonNode asyncapi) {
        this.root = asyncapi;
        resolve(asyncapi.at("/components/schemas/EventBase")).path("properties").fieldNames().forEachRemaining(baseEventFields::add);
        Set<String> named = new TreeSet<>();
        for (JsonNode m : root.at("/operations/serverSends/messages")) {
            JsonNode payload = resolve(resolve(m).path("payload"));
            String type = payload.at("/properties/type/const").asText(null);
            if (type == null) {
                // the event message's payload is the Event schema
                walkEvent(documented);
                continue;
            }
            documented.add(type);
            walk(payload, type, named);
        }
    }

    /** Every path the document gives the frames the server sends (operation serverSends). */
    Set<String> documented() {
        return documented;
    }

    /** The unobserved paths the document explains (x-parley-contract.unobserved): path -> reason. */
    Map<String, String> excused() {
        Map<String, String> out = new TreeMap<>();
        root.at("/x-parley-contract/unobserved").properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private void walk(JsonNode schema, String prefix, Set<String> named) {
        for (Map.Entry<String, JsonNode> p : schema.path("properties").properties()) {
            if (p.getKey().equals("type") && p.getValue().has("const")) {
                continue;
            }
            String path = prefix + "." + p.getKey();
            JsonNode raw = p.getValue();
            documented.add(path);
            if (isEventRef(raw) || isEventRef(raw.path("items"))) {
                walkEvent(documented);
                continue;
            }
            JsonNode s = resolve(raw);
            if (TRACKED_VALUES.contains(p.getKey())) {
                s.path("enum").forEach(v -> documented.add(path + "=" + v.asText()));
            }
            walkNested(raw, s, path, named);
            JsonNode rawItems = s.path("items");
            walkNested(rawItems, resolve(rawItems), path + "[]", named);
        }
    }

    /** An object schema under {@code path}: its fields as paths of its own name when it is a named schema. */
    private void walkNested(JsonNode raw, JsonNode resolved, String path, Set<String> named) {
        if (!resolved.has("properties")) {
            return;
        }
        String ref = raw.path("$ref").asText();
        if (ref.startsWith(SCHEMAS)) {
            String name = ref.substring(SCHEMAS.length());
            embedded.put(path, name);
            if (named.add(name)) {
                walk(resolved, name, named);
            }
        } else {
            walk(resolved, path, named);
        }
    }

    private void walkEvent(Set<String> out) {
        out.add("event");
        for (JsonNode alt : resolve(root.at("/components/schemas/Event")).path("oneOf")) {
            JsonNode a = resolve(alt);
            Set<String> fields = new TreeSet<>();
            String kind = null;
            Iterable<JsonNode> parts = a.has("allOf") ? a.path("allOf") : List.of(a);
            for (JsonNode part : parts) {
                JsonNode props = resolve(part).path("properties");
                if (props.path("kind").has("const")) {
                    kind = props.path("kind").path("const").asText();
                }
                props.fieldNames().forEachRemaining(fields::add);
            }
            out.add("event[" + kind + "]");
            for (String f : fields) {
                if (!f.equals("type") && !f.equals("kind")) {
                    out.add(eventPath(kind, f));
                }
            }
        }
    }

    private String eventPath(String kind, String field) {
        return baseEventFields.contains(field) ? "event." + field : "event[" + kind + "]." + field;
    }

    /** The paths of one received frame. */
    Set<String> observe(JsonNode frame) {
        Set<String> out = new TreeSet<>();
        String type = frame.path("type").asText();
        if (type.equals("event")) {
            observeEvent(frame, out);
        } else {
            out.add(type);
            observe(frame, type, out);
        }
        return out;
    }

    private void observe(JsonNode obj, String prefix, Set<String> out) {
        for (Map.Entry<String, JsonNode> f : obj.properties()) {
            if (f.getKey().equals("type") && prefix.indexOf('.') < 0 && !embedded.containsValue(prefix)) {
                continue;
            }
            String path = prefix + "." + f.getKey();
            JsonNode v = f.getValue();
            out.add(path);
            if (TRACKED_VALUES.contains(f.getKey()) && v.isTextual()) {
                out.add(path + "=" + v.asText());
            }
            if (v.isObject()) {
                observe(v, embedded.getOrDefault(path, path), out);
            } else if (v.isArray()) {
                for (JsonNode item : v) {
                    if (item.isObject() && item.path("type").asText().equals("event")) {
                        observeEvent(item, out);
                    } else if (item.isObject()) {
                        observe(item, embedded.getOrDefault(path + "[]", path + "[]"), out);
                    }
                }
            }
        }
    }

    private void observeEvent(JsonNode e, Set<String> out) {
        String kind = e.path("kind").asText();
        out.add("event");
        out.add("event[" + kind + "]");
        e.fieldNames().forEachRemaining(f -> {
            if (!f.equals("type") && !f.equals("kind")) {
                out.add(eventPath(kind, f));
            }
        });
    }

    private static boolean isEventRef(JsonNode n) {
        return EVENT_REF.equals(n.path("$ref").asText());
    }

    /** Follows local $refs ('#/...'). */
    private JsonNode resolve(JsonNode n) {
        while (n != null && n.has("$ref") && n.path("$ref").asText().startsWith("#/")) {
            n = root.at(n.path("$ref").asText().substring(1));
        }
        return n;
    }
}
