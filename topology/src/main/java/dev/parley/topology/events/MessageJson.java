package dev.parley.topology.events;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.api.events.EventJson;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.event.MessagePosted;
import dev.parley.topology.state.MessageOverlay;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON form of a message's current state, as history and thread queries return it: its posted event with
 * its overlay applied (edits, deletion as a tombstone with no text and {@code "deleted": true}, reactions, thread
 * counts).
 */
public final class MessageJson {

    private MessageJson() {
    }

    /**
     * @param posted  the event that posted the message (payload {@link MessagePosted})
     * @param overlay what changed since; null if nothing did
     */
    public static ObjectNode render(ChannelEvent posted, MessageOverlay overlay) {
        MessagePosted m = (MessagePosted) posted.getPayload();
        boolean deleted = overlay != null && overlay.getDeleted();
        ObjectNode n = EventJson.MAPPER.createObjectNode();
        n.put("channel", posted.getChannel());
        n.put("seq", posted.getSeq());
        n.put("messageId", posted.getMessageId());
        n.put("user", posted.getActor().getUser());
        n.put("ts", posted.getTimestamp().toEpochMilli());
        if (posted.getIdempotencyKey() != null) {
            n.put("clientMsgId", posted.getIdempotencyKey());
        }
        if (deleted) {
            n.put("deleted", true);
        } else {
            n.put("text", overlay != null && overlay.getText() != null ? overlay.getText() : m.getText());
        }
        if (overlay != null && overlay.getEditedAt() != null) {
            n.put("editedAt", overlay.getEditedAt());
        }
        if (m.getThreadRoot() != null) {
            n.put("threadRoot", m.getThreadRoot());
        }
        if (overlay != null && (overlay.getReplyCount() > 0 || overlay.getLastReplySeq() != null)) {
            n.put("replyCount", overlay.getReplyCount());
            if (overlay.getLastReplySeq() != null) {
                n.put("lastReplySeq", overlay.getLastReplySeq());
                n.put("lastReplyAt", overlay.getLastReplyAt());
            }
        }
        List<String> mentions = deleted ? List.of() : mentions(m, overlay);
        if (!mentions.isEmpty()) {
            ArrayNode a = n.putArray("mentions");
            mentions.forEach(a::add);
        }
        ArrayNode reactions = n.putArray("reactions");
        if (overlay != null && !deleted) {
            for (Map.Entry<String, List<String>> r : new TreeMap<>(overlay.getReactions()).entrySet()) {
                ObjectNode x = reactions.addObject();
                x.put("emoji", r.getKey());
                x.put("count", r.getValue().size());
                ArrayNode users = x.putArray("users");
                r.getValue().forEach(users::add);
            }
        }
        return n;
    }

    /** The mentions of a message as it reads now: those of its last edit, or of the posted text. */
    public static List<String> mentions(MessagePosted posted, MessageOverlay overlay) {
        return overlay != null && overlay.getMentions() != null ? overlay.getMentions() : posted.getMentions();
    }
}
