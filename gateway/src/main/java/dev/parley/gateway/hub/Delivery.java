package dev.parley.gateway.hub;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One event of a channel ready to go out: its seq and its {@code event} frame, rendered and encoded once and shared
 * by every connection it goes to. A few events are private to their actor (read cursors): every other member
 * gets a {@code hidden} placeholder with the same seq, so its stream stays gap-free without learning more.
 */
public record Delivery(String channel, long seq, String kind, String actor, SharedFrame frame) {

    public Delivery(String channel, long seq, String kind, String actor, String frame) {
        this(channel, seq, kind, actor, new SharedFrame(frame));
    }

    /** Kinds only the actor sees. */
    public static boolean isPrivate(String kind) {
        return "read".equals(kind);
    }

    /** From an event as the topology's queries return it (the same JSON the live path renders), for one connection. */
    public static Delivery of(ObjectNode event) {
        return new Delivery(event.path("channel").asText(), event.path("seq").asLong(), event.path("kind").asText(),
                event.path("user").asText(), SharedFrame.once(event.toString()));
    }

    /** The frame this user may see. */
    public SharedFrame frameFor(String user) {
        return isPrivate(kind) && !actor.equals(user) ? SharedFrame.once(hidden(channel, seq)) : frame;
    }

    public static String hidden(String channel, long seq) {
        return "{\"type\":\"event\",\"channel\":" + Frames.JSON.getNodeFactory().textNode(channel) + ",\"seq\":" + seq
                + ",\"kind\":\"hidden\"}";
    }

    /** The same filtering for events in a page (history, REST). */
    public static ObjectNode visibleTo(ObjectNode event, String user) {
        if (isPrivate(event.path("kind").asText()) && !event.path("user").asText().equals(user)) {
            ObjectNode n = Frames.JSON.createObjectNode();
            n.put("type", "event");
            n.put("channel", event.path("channel").asText());
            n.put("seq", event.path("seq").asLong());
            n.put("kind", "hidden");
            return n;
        }
        return event;
    }
}
