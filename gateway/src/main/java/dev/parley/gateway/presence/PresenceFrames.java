package dev.parley.gateway.presence;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.gateway.hub.Frames;
import java.util.List;
import java.util.function.Function;

/** The presence frames of docs/protocol.md. */
final class PresenceFrames {

    private PresenceFrames() {
    }

    /** {@code presence}: a watched user's status changed. */
    static String presence(String user, PresenceDebounce.View view) {
        ObjectNode n = Frames.frame("presence");
        put(n, user, view);
        return n.toString();
    }

    /** {@code presence} with {@code visible:false}: the watcher no longer shares a channel with the user. */
    static String notVisible(String user) {
        ObjectNode n = Frames.frame("presence");
        n.put("user", user);
        n.put("visible", false);
        return n.toString();
    }

    /** The watched users' current presence, as in the welcome and the {@code presence_watch} reply. */
    static ObjectNode block(ObjectNode into, List<String> visible, List<String> notVisible, Function<String, PresenceDebounce.View> view) {
        ArrayNode users = into.putArray("users");
        for (String u : visible) {
            put(users.addObject(), u, view.apply(u));
        }
        ArrayNode hidden = into.putArray("notVisible");
        notVisible.forEach(hidden::add);
        return into;
    }

    private static void put(ObjectNode n, String user, PresenceDebounce.View view) {
        n.put("user", user);
        n.put("status", view.status().wire());
        if (view.lastSeen() != null) {
            n.put("lastSeen", view.lastSeen());
        }
    }
}
