package dev.parley.notifier.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.avro.notify.Notification;
import dev.parley.avro.notify.NotificationItem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/** The JSON body of a webhook call (docs/notifications.md, "The request"). */
public final class WebhookBody {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    private WebhookBody() {
    }

    public static ObjectNode json(Notification n) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("type", "notification");
        o.put("id", n.getNotificationId());
        o.put("user", n.getUser());
        o.put("count", n.getCount());
        o.put("firstAt", n.getFirstAt().toString());
        o.put("createdAt", n.getCreatedAt().toString());
        ArrayNode items = o.putArray("messages");
        for (NotificationItem i : n.getItems()) {
            ObjectNode m = items.addObject();
            m.put("channel", i.getChannel());
            m.put("seq", i.getSeq());
            m.put("messageId", i.getMessageId());
            m.put("sender", i.getSender());
            m.put("at", i.getTimestamp().toString());
            m.put("reason", i.getReason().name().toLowerCase(Locale.ROOT));
            if (i.getThreadRoot() == null) {
                m.putNull("threadRoot");
            } else {
                m.put("threadRoot", i.getThreadRoot());
            }
            m.put("text", i.getText());
        }
        return o;
    }

    public static byte[] bytes(Notification n) {
        try {
            return MAPPER.writeValueAsBytes(json(n));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
