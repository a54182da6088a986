package dev.parley.ops.chaos.check;

/**
 * One message a client offered, and how it ended for the client.
 *
 * @param sender      the client (user + device) that offered it
 * @param user        the sending user
 * @param channel     the channel
 * @param clientMsgId its idempotency key (the same on every attempt)
 * @param order       the position among this sender's sends (increasing in offer order)
 * @param outcome     what the client knows at the end
 * @param ackedSeq    the seq the ack carried ({@link Outcome#ACKED}); else 0
 * @param retried     whether it went out more than once (unacknowledged across a reconnect, or acked as a duplicate)
 */
public record SentMessage(String sender, String user, String channel, String clientMsgId, long order, Outcome outcome,
                          long ackedSeq, boolean retried) {

    /** How a send ended for the client. */
    public enum Outcome {
        /** Acknowledged: it must be in the log exactly once, at {@link #ackedSeq()}. */
        ACKED,
        /** Refused for good with an error (not retryable): it must not be in the log. */
        REFUSED,
        /** Never answered: it may or may not be in the log, but at most once. */
        UNSETTLED
    }

    public static SentMessage acked(String sender, String user, String channel, String key, long order, long seq) {
        return new SentMessage(sender, user, channel, key, order, Outcome.ACKED, seq, false);
    }

    public SentMessage withRetried() {
        return new SentMessage(sender, user, channel, clientMsgId, order, outcome, ackedSeq, true);
    }
}
