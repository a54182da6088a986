package dev.parley.gateway.hub;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One event of a channel ready to go out: its seq and its {@code event} frame, rendered once and shared by
 * every connection it goes to.
 */
public record Delivery(String channel, long seq, String kind, String actor, String frame) {

    /** From an event as the topology's queries return it (the same JSON the live path renders). */
    public static Delivery of(ObjectNode event) {
        return new Delivery(event.path("channel").asText(), event.path("seq").asLong(), event.path("kind").asText(),
                event.path("user").asText(), event.toString());
    }
}
