package dev.parley.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The server frames of docs/contracts/asyncapi.yaml as a set of paths — {@code welcome}, {@code welcome.channels[].head},
 * {@code event[message].text}, {@code event.seq} (fields every kind has), {@code error.code=not_a_member} — and the same
 * paths read off received frames, so that the two sets can be compared both ways.
 */
final class FrameContract {

    /** String fields whose values are part of the contract (each value is a path of its own). */
    static final Set<String> TRACKED_VALUES = Set.of("code", "unchanged", "reason");
    private static final String EVENT_REF = "#/components/schemas/Event";

    private final JsonNode root;
    private final Set<String> baseEventFields = new TreeSet<>();

    FrameContract(JsonNode asyncapi) {
        this.root = asyncapi;
        resolve(asyncapi.at("/components/schemas/EventBase")).path("properties").fieldNames().forEachRemaining(baseEventFields::add);
    }

    /** Every path the document gives the frames the server sends (operation serverSends). */
    Set<String> documented() {
        Set<String> out = new TreeSet<>();
        for (JsonNode m : root.at("/operations/serverSends/messages")) {
            JsonNode payload = resolve(resolve(m).path("payload"));
            String type = payload.at("/properties/type/const").asText(null);
            if (type == null) {
                // the event message's payload is the Event schema
                walkEvent(out);
                continue;
            }
            out.add(type);
            walk(payload, type, out);
        }
        return out;
    }

    /** The unobserved paths the document explains (x-parley-contract.unobserved). */
    Set<String> excused() {
        Set<String> out = new TreeSet<>();
        root.at("/x-parley-contract/unobserved").fieldNames().forEachRemaining(out::add);
        return out;
    }

    private void walk(JsonNode schema, String prefix, Set<String> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
            var p = it.next();
            if (p.getKey().equals("type") && p.getValue().has("const")) {
                continue;
            }
            String path = prefix + "." + p.getKey();
            JsonNode raw = p.getValue();
            if (isEventRef(raw) || isEventRef(raw.path("items"))) {
                out.add(path);
                walkEvent(out);
                continue;
            }
            JsonNode s = resolve(raw);
            out.add(path);
            if (TRACKED_VALUES.contains(p.getKey())) {
                resolve(s).path("enum").forEach(v -> out.add(path + "=" + v.asText()));
            }
            if (s.has("properties")) {
                walk(s, path, out);
            }
            JsonNode items = resolve(s.path("items"));
            if (items.has("properties")) {
                walk(items, path + "[]", out);
            }
        }
    }

    private void walkEvent(Set<String> out) {
        out.add("event");
        for (JsonNode alt : resolve(root.at("/components/schemas/Event")).path("oneOf")) {
            JsonNode a = resolve(alt);
            Set<String> fields = new TreeSet<>();
            String kind = null;
            Iterable<JsonNode> parts = a.has("allOf") ? a.path("allOf") : java.util.List.of(a);
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
        for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
            var f = it.next();
            if (f.getKey().equals("type") && prefix.indexOf('.') < 0) {
                continue;
            }
            String path = prefix + "." + f.getKey();
            JsonNode v = f.getValue();
            out.add(path);
            if (TRACKED_VALUES.contains(f.getKey()) && v.isTextual()) {
                out.add(path + "=" + v.asText());
            }
            if (v.isObject()) {
                observe(v, path, out);
            } else if (v.isArray()) {
                for (JsonNode item : v) {
                    if (item.isObject() && item.path("type").asText().equals("event")) {
                        observeEvent(item, out);
                    } else if (item.isObject()) {
                        observe(item, path + "[]", out);
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
