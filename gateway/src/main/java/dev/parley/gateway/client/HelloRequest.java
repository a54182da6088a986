package dev.parley.gateway.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.api.Limits;
import dev.parley.gateway.hub.Echo;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated {@code hello}: the token (verified later), the device id, the channels to resume with the
 * last seq the client has of each, the users whose presence to watch (null when not asked), and whether the
 * client takes live events in batches ({@code "batch":true}: {@code events} frames), and whether it follows its channels
 * in pull mode ({@code "pull":true}: {@code head} frames instead of events; a background tab, a mobile client).
 */
public record HelloRequest(String token, String device, Map<String, Long> resume, List<String> presence, boolean batch,
                           boolean pull) {

    /** @param maxResume how many channels {@code resume} may name */
    public static HelloRequest parse(JsonNode frame, int maxResume) throws Invalid {
        Fields f = Fields.of(frame);
        JsonNode token = frame.get("token");
        String device = f.peek("device");
        if (!Limits.isValidToken(device)) {
            throw new Invalid("hello needs a \"device\" id (1-128 characters)", null, null);
        }
        Map<String, Long> resume = new LinkedHashMap<>();
        JsonNode r = f.node("resume");
        if (r != null) {
            if (!r.isObject()) {
                throw new Invalid("\"resume\" must be an object of channel -> last seen seq", null, null);
            }
            if (r.size() > maxResume) {
                throw new Invalid("\"resume\" may name at most " + maxResume + " channels; resume the others with subscribe", null, null);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = r.fields(); it.hasNext(); ) {
                var e = it.next();
                JsonNode seq = e.getValue();
                if (!seq.isIntegralNumber() || !seq.canConvertToLong() || seq.longValue() < 0) {
                    throw new Invalid("resume seq of '" + Echo.quote(e.getKey()) + "' must be a non-negative integer", null, null);
                }
                resume.put(e.getKey(), seq.longValue());
            }
        }
        List<String> presence = f.has("presence") ? UserList.of(f, "presence") : null;
        return new HelloRequest(token != null && token.isTextual() ? token.textValue() : null, device, resume, presence,
                flag(f, "batch"), flag(f, "pull"));
    }

    private static boolean flag(Fields f, String name) throws Invalid {
        JsonNode v = f.node(name);
        if (v != null && !v.isBoolean()) {
            throw new Invalid("\"" + name + "\" must be true or false", null, null);
        }
        return v != null && v.booleanValue();
    }
}
