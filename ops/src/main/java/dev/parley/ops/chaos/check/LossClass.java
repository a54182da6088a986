package dev.parley.ops.chaos.check;

/** The ways a history can break a promise; each is counted by the checker and must be 0. */
public enum LossClass {
    ACKED_SEND_LOST("acked sends missing from the log"),
    ACKED_AT_OTHER_SEQ("acked sends logged at another seq than their ack"),
    DUPLICATE_KEY("keys (clientMsgId) with more than one event"),
    REFUSED_SEND_LOGGED("sends refused for good that are in the log"),
    UNOFFERED_MESSAGE("messages in the log that no client sent"),
    SEQ_GAP("gaps in a channel's seqs"),
    SEQ_DUPLICATE("repeated or backward seqs in a channel"),
    SENDER_ORDER("sends logged out of their sender's order"),
    MISSED_DELIVERY("events a member online at the end never got"),
    DELIVERY_ORDER("events a client got twice or out of order"),
    WRONG_EVENT("events a client got that differ from the log's"),
    PRIVATE_LEAK("private channels' events delivered to non-members"),
    CONNECTION_GAP("seqs a connection skipped (gateway-level, before client gap filling)"),
    CONNECTION_REPEAT("seqs a connection got again or backwards"),
    FALSE_CAUGHT_UP("caught_up frames sent before the connection had everything up to their seq");

    private final String description;

    LossClass(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
