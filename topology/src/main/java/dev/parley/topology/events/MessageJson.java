package dev.parley.topology.events;

import dev.parley.api.events.EventJson;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.topology.state.MessageView;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON form of a message's current state, as history and thread queries return it: edits applied,
 * deletion as a tombstone (no text, {@code "deleted": true}), reactions aggregated, thread counts.
 */
public final class MessageJson {

    private MessageJson() {
    }

    public static ObjectNode render(String channel, long seq, MessageView v) {
        ObjectNode n = EventJson.MAPPER.createObjectNode();
        n.put("channel", channel);
        n.put("seq", seq);
        n.put("messageId", v.getMessageId());
        n.put("user", v.getAuthor());
        n.put("ts", v.getTs());
        if (v.getClientMsgId() != null) {
            n.put("clientMsgId", v.getClientMsgId());
        }
        if (v.getDeleted()) {
            n.put("deleted", true);
        } else {
            n.put("text", v.getText());
        }
        if (v.getEditedAt() != null) {
            n.put("editedAt", v.getEditedAt());
        }
        if (v.getThreadRoot() != null) {
            n.put("threadRoot", v.getThreadRoot());
        }
        if (v.getReplyCount() > 0 || v.getLastReplySeq() != null) {
            n.put("replyCount", v.getReplyCount());
            if (v.getLastReplySeq() != null) {
                n.put("lastReplySeq", v.getLastReplySeq());
                n.put("lastReplyAt", v.getLastReplyAt());
            }
        }
        if (!v.getMentions().isEmpty()) {
            ArrayNode m = n.putArray("mentions");
            v.getMentions().forEach(m::add);
        }
        ArrayNode reactions = n.putArray("reactions");
        for (Map.Entry<String, List<String>> r : new TreeMap<>(v.getReactions()).entrySet()) {
            ObjectNode x = reactions.addObject();
            x.put("emoji", r.getKey());
            x.put("count", r.getValue().size());
            ArrayNode users = x.putArray("users");
            r.getValue().forEach(users::add);
        }
        return n;
    }
}
