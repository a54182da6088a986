package dev.parley.gateway.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.gateway.hub.Frames;

/** The WebSocket answers to a command: {@code ack} for a send, {@code ok} for the others, or an {@code error}. */
final class Replies {

    private Replies() {
    }

    static String of(ClientRequest.Command c, Outcome o) {
        if (o instanceof Outcome.Done d) {
            ObjectNode n = Frames.frame(c.isSend() ? "ack" : "ok");
            n.put(c.keyField(), c.key());
            n.put("channel", c.channel());
            n.put("seq", d.seq());
            if (c.isSend()) {
                n.put("messageId", d.messageId());
            }
            if (d.duplicate()) {
                n.put("duplicate", true);
            }
            return n.toString();
        }
        if (o instanceof Outcome.NoChange u) {
            ObjectNode n = Frames.frame("ok");
            n.put(c.keyField(), c.key());
            n.put("channel", c.channel());
            n.put("seq", u.head());
            n.put("unchanged", u.code());
            return n.toString();
        }
        if (o instanceof Outcome.CursorMoved m) {
            ObjectNode n = Frames.frame("ok");
            n.put(c.keyField(), c.key());
            n.put("channel", c.channel());
            n.put("upTo", m.upTo());
            return n.toString();
        }
        Outcome.Failed f = (Outcome.Failed) o;
        return Frames.error(f.code(), f.message(), c.keyField(), c.key(), f.retryAfterMs());
    }
}
