package dev.parley.topology.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.avro.event.ChannelCreated;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.event.MemberJoined;
import dev.parley.avro.event.MemberLeft;
import dev.parley.avro.event.MessagePosted;
import java.util.Locale;

/**
 * The JSON form of a committed event, exactly as clients receive it in an {@code event} frame
 * (docs/protocol.md). One renderer for live delivery, catch-up, history and tools, so all agree.
 */
public final class EventJson {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    private EventJson() {
    }

    /** Wire name of an event kind: {@code message}, {@code member_joined}, ... */
    public static String kind(ChannelEvent e) {
        return e.getKind().name().toLowerCase(Locale.ROOT);
    }

    public static ObjectNode render(ChannelEvent e) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("type", "event");
        n.put("channel", e.getChannel());
        n.put("seq", e.getSeq());
        n.put("kind", kind(e));
        n.put("eventId", e.getEventId());
        n.put("ts", e.getTimestamp().toEpochMilli());
        n.put("user", e.getActor().getUser());
        if (e.getMessageId() != null) {
            n.put("messageId", e.getMessageId());
        }
        if (e.getIdempotencyKey() != null) {
            n.put("clientMsgId", e.getIdempotencyKey());
        }
        Object p = e.getPayload();
        if (p instanceof MessagePosted m) {
            n.put("text", m.getText());
            if (m.getThreadRoot() != null) {
                n.put("threadRoot", m.getThreadRoot());
            }
        } else if (p instanceof MemberJoined j) {
            n.put("member", j.getUser());
            n.put("role", j.getRole().name().toLowerCase(Locale.ROOT));
            if (j.getAddedBy() != null) {
                n.put("addedBy", j.getAddedBy());
            }
        } else if (p instanceof MemberLeft l) {
            n.put("member", l.getUser());
        } else if (p instanceof ChannelCreated c) {
            n.put("visibility", c.getVisibility().name().toLowerCase(Locale.ROOT));
            if (c.getTitle() != null) {
                n.put("title", c.getTitle());
            }
        }
        return n;
    }
}
