package dev.parley.topology.query;

/** A channel a user belongs to, with the channel's current head. */
public record UserChannel(String channel, String role, long joinedSeq, long head, String visibility, String title,
                          long lastEventAt) {
}
