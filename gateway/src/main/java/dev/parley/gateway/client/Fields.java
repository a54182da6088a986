package dev.parley.gateway.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.api.Limits;
import dev.parley.gateway.hub.Echo;

/**
 * Reading one field of a request: the type and range checks every transport shares, each failing with an
 * {@link Invalid} that names the field. {@code idField}/{@code id} are the request's key, echoed in the error.
 */
final class Fields {

    private final JsonNode node;
    private final String idField;
    private final String id;

    private Fields(JsonNode node, String idField, String id) {
        this.node = node;
        this.idField = idField;
        this.id = id;
    }

    static Fields of(JsonNode node) {
        return new Fields(node, null, null);
    }

    /** The same fields, with errors now about the given key. */
    Fields about(String idField, String id) {
        return new Fields(node, idField, id);
    }

    String id() {
        return id;
    }

    Invalid invalid(String message) {
        return new Invalid(message, idField, id);
    }

    boolean has(String field) {
        JsonNode n = node.get(field);
        return n != null && !n.isNull();
    }

    /** The raw text of an optional string field (null when absent or not a string), for echoing. */
    String peek(String field) {
        JsonNode n = node.get(field);
        return n != null && n.isTextual() ? n.textValue() : null;
    }

    /** An idempotency key or request id: 1-128 characters, no control characters, well-formed. */
    String key(String field, String why) throws Invalid {
        String v = peek(field);
        if (!Limits.isValidToken(v)) {
            throw new Invalid("this frame needs a \"" + field + "\" (1-" + Limits.MAX_ID_CHARS
                    + " characters, no control characters)" + why, field, v);
        }
        return v;
    }

    /** An optional request id (reads): null when absent, else a valid key. */
    String optionalKey(String field) throws Invalid {
        if (!has(field)) {
            return null;
        }
        return key(field, "");
    }

    String channel() throws Invalid {
        return channel("channel");
    }

    String channel(String field) throws Invalid {
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) {
            throw invalid("this frame needs a \"" + field + "\"");
        }
        if (!n.isTextual() || !Limits.isValidChannelId(n.textValue())) {
            throw invalid("\"" + field + "\" " + (n.isTextual() ? "'" + Echo.quote(n.textValue()) + "' " : "")
                    + "is not a valid channel id: 1-80 letters, digits, '.', '_' or '-'");
        }
        return n.textValue();
    }

    /** A user id (add_member, open_dm). */
    String user(String field) throws Invalid {
        String v = peek(field);
        if (!Limits.isValidToken(v)) {
            throw invalid("\"" + field + "\" must be a user id (1-" + Limits.MAX_ID_CHARS + " characters)");
        }
        return v;
    }

    /** Message text: a non-blank string of at most {@link Limits#MAX_TEXT_CHARS} code points, well-formed UTF-16. */
    String text() throws Invalid {
        JsonNode n = node.get("text");
        if (n == null || !n.isTextual() || n.textValue().isBlank()) {
            throw invalid("this frame needs a non-empty \"text\" string");
        }
        String text = n.textValue();
        if (!Limits.isWellFormed(text)) {
            throw invalid("\"text\" is not well-formed Unicode (a lone surrogate)");
        }
        if (text.length() > Limits.MAX_TEXT_CHARS && text.codePointCount(0, text.length()) > Limits.MAX_TEXT_CHARS) {
            throw invalid("\"text\" is limited to " + Limits.MAX_TEXT_CHARS + " characters");
        }
        return text;
    }

    /** An optional channel title: a string of at most {@link Limits#MAX_TITLE_CHARS} code points, or null. */
    String title() throws Invalid {
        JsonNode n = node.get("title");
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw invalid("\"title\" must be a string");
        }
        String title = n.textValue();
        if (!Limits.isWellFormed(title)) {
            throw invalid("\"title\" is not well-formed Unicode (a lone surrogate)");
        }
        if (title.length() > Limits.MAX_TITLE_CHARS && title.codePointCount(0, title.length()) > Limits.MAX_TITLE_CHARS) {
            throw invalid("\"title\" is limited to " + Limits.MAX_TITLE_CHARS + " characters");
        }
        return title;
    }

    String emoji() throws Invalid {
        String v = peek("emoji");
        if (!Limits.isValidEmoji(v)) {
            throw invalid("\"emoji\" must be 1-64 characters without spaces, e.g. ':thumbsup:' or a Unicode emoji");
        }
        return v;
    }

    boolean bool(String field, boolean absent) throws Invalid {
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) {
            return absent;
        }
        if (!n.isBoolean()) {
            throw invalid("\"" + field + "\" must be true or false");
        }
        return n.booleanValue();
    }

    /** A required seq: a non-negative integer (not 1.5, not "1"). */
    long seq(String field) throws Invalid {
        Long v = optionalSeq(field, 0);
        if (v == null) {
            throw invalid("this frame needs \"" + field + "\": a seq number");
        }
        return v;
    }

    /** An optional integer of at least {@code min}; null when absent. */
    Long optionalSeq(String field, long min) throws Invalid {
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < min) {
            throw invalid("\"" + field + "\" must be an integer of at least " + min);
        }
        return n.longValue();
    }

    /** A page size: an integer from 1 to {@code max}; {@code absent} when missing. */
    int limit(int absent, int max) throws Invalid {
        JsonNode n = node.get("limit");
        if (n == null || n.isNull()) {
            return absent;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 1 || n.longValue() > max) {
            throw invalid("\"limit\" must be an integer from 1 to " + max);
        }
        return n.intValue();
    }

    JsonNode node(String field) {
        JsonNode n = node.get(field);
        return n == null || n.isNull() ? null : n;
    }
}
