package dev.parley.ops.chaos.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.ops.chaos.check.SentMessage;
import dev.parley.ops.chaos.report.TimedSend;

/** One send of the load while it runs: its slot in the schedule, its key, and how it ended. Thread-safe. */
final class Send {

    final ClientRecorder sender;
    final String channel;
    final String key;
    final long order;
    final long intendedNanos;
    private int dropsAtDispatch = -1;
    private long ackedNanos = -1;
    private long seq;
    private boolean duplicate;
    private boolean resent;
    private String refusal;

    Send(ClientRecorder sender, String channel, String key, long order, long intendedNanos) {
        this.sender = sender;
        this.channel = channel;
        this.key = key;
        this.order = order;
        this.intendedNanos = intendedNanos;
    }

    synchronized void dispatched() {
        dropsAtDispatch = sender.drops();
    }

    synchronized void acked(JsonNode ack, long nanos) {
        ackedNanos = nanos;
        seq = ack.path("seq").asLong();
        duplicate = ack.path("duplicate").asBoolean();
        resent = sender.drops() != dropsAtDispatch;
    }

    synchronized void refused(String code) {
        refusal = code;
        resent = sender.drops() != dropsAtDispatch;
    }

    synchronized boolean settled() {
        return ackedNanos >= 0 || refusal != null;
    }

    synchronized boolean isAcked() {
        return ackedNanos >= 0;
    }

    synchronized boolean isDuplicate() {
        return duplicate;
    }

    synchronized String refusal() {
        return refusal;
    }

    /** Was unacknowledged when its connection dropped (the outbox sent it again), or was acked as a duplicate. */
    synchronized boolean retried() {
        return resent || duplicate || (ackedNanos < 0 && refusal == null && dropsAtDispatch >= 0 && sender.drops() != dropsAtDispatch);
    }

    synchronized SentMessage message() {
        SentMessage.Outcome outcome = ackedNanos >= 0 ? SentMessage.Outcome.ACKED
                : refusal != null ? SentMessage.Outcome.REFUSED : SentMessage.Outcome.UNSETTLED;
        return new SentMessage(sender.name(), sender.user(), channel, key, order, outcome, seq, retried());
    }

    synchronized TimedSend timing() {
        return new TimedSend(intendedNanos, ackedNanos);
    }
}
