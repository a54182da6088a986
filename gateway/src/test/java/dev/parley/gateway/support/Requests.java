package dev.parley.gateway.support;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Frames a test client sends, with unique ids. */
public final class Requests {

    private static final AtomicInteger IDS = new AtomicInteger();

    private Requests() {
    }

    public static String id(String prefix) {
        return prefix + "-" + IDS.incrementAndGet();
    }

    public static Map<String, Object> send(String channel, String clientMsgId, String text) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "send");
        m.put("channel", channel);
        m.put("clientMsgId", clientMsgId);
        m.put("text", text);
        return m;
    }

    public static Map<String, Object> create(String channel, boolean isPrivate, String requestId) {
        return Map.of("type", "create_channel", "channel", channel, "private", isPrivate, "requestId", requestId);
    }

    public static Map<String, Object> join(String channel, String requestId) {
        return Map.of("type", "join", "channel", channel, "requestId", requestId);
    }

    public static Map<String, Object> leave(String channel, String requestId) {
        return Map.of("type", "leave", "channel", channel, "requestId", requestId);
    }

    public static Map<String, Object> add(String channel, String user, String requestId) {
        return Map.of("type", "add_member", "channel", channel, "user", user, "requestId", requestId);
    }
}
