package dev.parley.api.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.avro.event.ChannelCreated;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.event.MemberJoined;
import dev.parley.avro.event.MemberLeft;
import dev.parley.avro.event.MessageDeleted;
import dev.parley.avro.event.MessageEdited;
import dev.parley.avro.event.MessagePosted;
import dev.parley.avro.event.ReactionAdded;
import dev.parley.avro.event.ReactionRemoved;
import dev.parley.avro.event.ReadCursorMoved;
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
        return render(e, false);
    }

    /**
     * @param redacted the message this event posted or edited was deleted since: its text is left out and
     *                 {@code "deleted": true} is set, so catch-up never shows deleted text
     */
    public static ObjectNode render(ChannelEvent e, boolean redacted) {
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
            if (redacted) {
                n.put("deleted", true);
            } else {
                n.put("text", m.getText());
                mentions(n, m.getMentions());
            }
            if (m.getThreadRoot() != null) {
                n.put("threadRoot", m.getThreadRoot());
            }
        } else if (p instanceof MessageEdited ed) {
            n.put("messageSeq", ed.getMessageSeq());
            if (redacted) {
                n.put("deleted", true);
            } else {
                n.put("text", ed.getText());
                mentions(n, ed.getMentions());
            }
        } else if (p instanceof MessageDeleted d) {
            n.put("messageSeq", d.getMessageSeq());
        } else if (p instanceof ReactionAdded r) {
            n.put("messageSeq", r.getMessageSeq());
            n.put("emoji", r.getEmoji());
        } else if (p instanceof ReactionRemoved r) {
            n.put("messageSeq", r.getMessageSeq());
            n.put("emoji", r.getEmoji());
        } else if (p instanceof ReadCursorMoved r) {
            n.put("upTo", r.getSeq());
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
            if (c.getDirect()) {
                n.put("direct", true);
                var members = n.putArray("members");
                members.add(e.getActor().getUser());
                c.getMembers().forEach(members::add);
            }
        }
        return n;
    }

    private static void mentions(ObjectNode n, java.util.List<String> mentions) {
        if (!mentions.isEmpty()) {
            var a = n.putArray("mentions");
            mentions.forEach(a::add);
        }
    }
}
