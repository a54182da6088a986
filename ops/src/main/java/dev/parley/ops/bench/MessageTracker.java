package dev.parley.ops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load generator's view of one workload's messages: times each ack and each delivered event against when its
 * send was due (the send's number is in its clientMsgId, e.g. {@code w1.42}), and feeds every event into the
 * loss/duplicate/order ledger. It takes the events and acks of {@link Member}s (Parley's Java client) and, for the
 * raw Jetty broadcast baseline, raw frames of {@link BenchClient}s.
 */
final class MessageTracker implements Member.Handler, BenchClient.Handler {

    final String prefix;
    final SendLog sends = new SendLog();
    final LatencyRecorder ack;
    final LatencyRecorder deliver;
    /** From the event's own timestamp (set when the gateway took the send) to its delivery: where a delay sits. */
    final LatencyRecorder fromEventTs;
    final DeliveryLedger ledger = new DeliveryLedger();
    final AtomicLong acks = new AtomicLong();
    final AtomicLong events = new AtomicLong();
    /** Error frames (raw clients) and sends the Java client gave up on (refused for good). */
    final AtomicLong errors = new AtomicLong();
    volatile String lastError;
    private final boolean countOwn;
    /** Called after each ack of this workload (closed-loop workloads send the next message from here). */
    volatile java.util.function.BiConsumer<Member, Long> onAck = (c, now) -> { };

    /**
     * @param countOwn whether the sender's own copy of an event counts as a delivery (fan-out) or not
     *                 (send->deliver to the other members)
     */
    MessageTracker(String workload, String prefix, boolean countOwn) {
        this.prefix = prefix;
        this.countOwn = countOwn;
        this.ack = new LatencyRecorder(workload + " send->ack");
        this.deliver = new LatencyRecorder(workload + " send->deliver");
        this.fromEventTs = new LatencyRecorder(workload + " event ts->deliver (wall clock, ms)");
    }

    void window(long start, long end) {
        ack.window(start, end);
        deliver.window(start, end);
    }

    /** Sends one message of this workload from {@code m}; its ack and deliveries come back here. */
    void send(Member m, String channel, long i, String text) {
        m.send(channel, prefix + i, text, errors);
    }

    @Override
    public void onEvent(Member m, JsonNode e, long now) {
        String channel = e.path("channel").asText(null);
        long seq = e.path("seq").asLong(-1);
        if (channel == null || seq < 0) {
            return;
        }
        DeliveryLedger.Stream stream;
        if (channel.equals(m.home)) {
            stream = m.homeStream;
            if (stream == null || m.homeLedger != ledger) {
                stream = ledger.stream(m.key, channel, m.after);
                m.homeStream = stream;
                m.homeLedger = ledger;
            }
        } else {
            stream = ledger.stream(m.key, channel, m.after);
        }
        delivered(stream, seq, e.path("clientMsgId").asText(null), countOwn || !m.user.equals(e.path("user").asText()),
                e.path("ts").asLong(0), now);
    }

    @Override
    public void onAck(Member m, JsonNode a, long now) {
        if (acked(a.path("clientMsgId").asText(null), a.path("channel").asText(), a.path("seq").asLong(0), now)) {
            onAck.accept(m, now);
        }
    }

    /** Where each event of a live {@code events} batch starts (events are Jackson's compact output). */
    private static final String EVENT_START = "{\"type\":\"event\",";

    /** A raw frame (the Jetty broadcast baseline's clients: events, one by one or in live batches). */
    @Override
    public void onFrame(BenchClient c, String type, String frame, long now) {
        if (type.equals("events") && frame.contains("\"live\":true")) {
            // A live batch: each of its events as if it had come alone, all at the batch's arrival time. A quote
            // inside a JSON string is escaped, so the start marker only matches where an event begins.
            int at = frame.indexOf(EVENT_START);
            while (at >= 0) {
                int next = frame.indexOf(EVENT_START, at + EVENT_START.length());
                onFrame(c, "event", frame.substring(at, next < 0 ? frame.length() - 2 : next - 1), now);
                at = next;
            }
            return;
        }
        if (type.equals("event")) {
            String channel = FrameFields.strAt(frame, FrameFields.CHANNEL);
            long seq = FrameFields.numAt(frame, FrameFields.SEQ, -1);
            if (channel == null || seq < 0) {
                return;
            }
            boolean own = frame.regionMatches(frame.indexOf(FrameFields.USER) + FrameFields.USER.length(), c.userQuoted, 0,
                    c.userQuoted.length());
            delivered(ledger.stream(c.key, channel, c.after), seq, FrameFields.strAt(frame, FrameFields.CLIENT_MSG_ID),
                    countOwn || !own, FrameFields.numAt(frame, FrameFields.TS, 0), now);
        } else if (type.equals("error")) {
            errors.incrementAndGet();
            lastError = frame;
        }
    }

    private void delivered(DeliveryLedger.Stream stream, long seq, String clientMsgId, boolean counts, long ts, long now) {
        stream.received(seq);
        long i = SendLog.indexOf(clientMsgId, prefix);
        if (i >= 0) {
            events.incrementAndGet();
            if (counts && deliver.record(sends.get(i), now) && ts > 0) {
                fromEventTs.recordMicros((System.currentTimeMillis() - ts) * 1_000);
            }
        }
    }

    /** @return whether the ack was of this workload */
    private boolean acked(String clientMsgId, String channel, long seq, long now) {
        long i = SendLog.indexOf(clientMsgId, prefix);
        if (i < 0) {
            return false;
        }
        ack.record(sends.get(i), now);
        ledger.acked(channel, seq);
        acks.incrementAndGet();
        return true;
    }

    /** Waits until {@code n} acks arrived and no acked event is missing anywhere, or the timeout passed. */
    DeliveryLedger.Totals drain(long expectedAcks, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (acks.get() < expectedAcks && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        DeliveryLedger.Totals t = ledger.totals();
        while (t.lost() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            t = ledger.totals();
        }
        return t;
    }
}
