package dev.parley.topology.sequencer;

/** Why a command was rejected; the wire code is what clients see (docs/protocol.md). */
public enum ErrorCode {
    /** The channel does not exist. */
    UNKNOWN_CHANNEL("unknown_channel"),
    /** The actor is not a member of the channel at that point of its order. */
    NOT_A_MEMBER("not_a_member"),
    /** The command is malformed: missing idempotency key, empty or oversized text, bad thread root, bad id. */
    INVALID("invalid"),
    /** A channel with that id already exists. */
    CHANNEL_EXISTS("channel_exists"),
    /** The actor may not do this (join a private channel, add members to a channel it is not in). */
    NOT_ALLOWED("not_allowed"),
    /** The message the command refers to does not exist in the channel. */
    UNKNOWN_MESSAGE("unknown_message"),
    /** The message was deleted: it can no longer be edited, reacted to or replied to. */
    MESSAGE_DELETED("message_deleted"),
    /** The topology failed on this command in a way that is not a rejection; it went to the dead-letter topic. */
    INTERNAL_ERROR("internal_error");

    private final String wire;

    ErrorCode(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
