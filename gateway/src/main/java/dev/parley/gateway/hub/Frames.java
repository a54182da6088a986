package dev.parley.gateway.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Builders of the server's JSON frames (docs/protocol.md lists them all). */
public final class Frames {

    public static final ObjectMapper JSON = new ObjectMapper();

    private Frames() {
    }

    public static ObjectNode frame(String type) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", type);
        return n;
    }

    /** {@code error}: a code, a human message, and the request it answers (clientMsgId or requestId) if any. */
    public static String error(String code, String message, String idField, String id) {
        ObjectNode n = frame("error");
        if (id != null && idField != null) {
            n.put(idField, Echo.id(id));
        }
        n.put("code", code);
        n.put("message", message);
        return n.toString();
    }

    /** An {@code error} that asks the client to wait: {@code rate_limited}, {@code overloaded}. */
    public static String error(String code, String message, String idField, String id, long retryAfterMs) {
        ObjectNode n = frame("error");
        if (id != null && idField != null) {
            n.put(idField, Echo.id(id));
        }
        n.put("code", code);
        n.put("message", message);
        if (retryAfterMs > 0) {
            n.put("retryAfterMs", retryAfterMs);
        }
        return n.toString();
    }

    public static String error(String code, String message) {
        return error(code, message, null, null);
    }

    /** {@code caught_up}: the connection now has every event of the channel up to seq and continues live. */
    public static String caughtUp(String channel, long seq) {
        ObjectNode n = frame("caught_up");
        n.put("channel", channel);
        n.put("seq", seq);
        return n.toString();
    }

    /** {@code head}: a channel in pull mode has events up to seq; pull them with {@code events after}. */
    public static String head(String channel, long seq) {
        ObjectNode n = frame("head");
        n.put("channel", channel);
        n.put("seq", seq);
        return n.toString();
    }

    /** {@code behind}: too many events missed to replay automatically; page with history, then subscribe. */
    public static String behind(String channel, long after, long head) {
        ObjectNode n = frame("behind");
        n.put("channel", channel);
        n.put("after", after);
        n.put("head", head);
        return n.toString();
    }

    /**
     * {@code error} {@code resume_ahead}: the client resumed a channel from a seq beyond its head; it now
     * follows the channel from {@code head} (a {@code caught_up} at that seq follows).
     */
    public static String resumeAhead(String channel, long asked, long head) {
        ObjectNode n = frame("error");
        n.put("channel", channel);
        n.put("code", "resume_ahead");
        n.put("message", "resume seq " + asked + " is beyond the channel's head " + head + "; following from " + head);
        n.put("head", head);
        return n.toString();
    }

    /** {@code read}: the user's read cursor in a channel moved to {@code upTo} (on this or another of the user's devices). */
    public static String read(String channel, long upTo) {
        ObjectNode n = frame("read");
        n.put("channel", channel);
        n.put("upTo", upTo);
        return n.toString();
    }

    /** {@code resync}: sent to a connection that could not keep up, just before it is closed. */
    public static String resync(String reason) {
        ObjectNode n = frame("resync");
        n.put("reason", reason);
        return n.toString();
    }
}
