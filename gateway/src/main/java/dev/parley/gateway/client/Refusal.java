package dev.parley.gateway.client;

/** A request that was valid but is refused: an error code of docs/protocol.md and a human message. */
public record Refusal(String code, String message) {

    static Refusal unknownChannel(String channel) {
        return new Refusal("unknown_channel", "channel '" + channel + "' does not exist");
    }
}
