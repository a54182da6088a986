package dev.parley.gateway.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.gateway.hub.Echo;

/**
 * A text frame (or REST body) to a JSON object, or an {@link Invalid} with code {@code frame_too_large} or
 * {@code bad_frame}. Nesting and number lengths are bounded by the parser, so no input can make it work hard.
 */
public final class FrameReader {

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).maxNumberLength(64).build())
            .build());

    private final int maxChars;

    public FrameReader(int maxChars) {
        this.maxChars = maxChars;
    }

    public JsonNode read(String text) throws Invalid {
        if (text.length() > maxChars) {
            throw new Invalid("frame_too_large", "frames are limited to " + maxChars + " characters; this one has " + text.length(), null, null);
        }
        JsonNode frame;
        try {
            frame = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new Invalid("bad_frame", "not JSON: " + Echo.quote(e.getOriginalMessage(), 200), null, null);
        }
        if (frame == null || !frame.isObject()) {
            throw new Invalid("bad_frame", "a frame must be a JSON object with a \"type\"", null, null);
        }
        return frame;
    }
}
