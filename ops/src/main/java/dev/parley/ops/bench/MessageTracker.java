package dev.parley.ops.bench;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The load generator's view of one workload's messages: times each {@code ack} and each delivered
 * {@code event} against when its send was due (the send's number is in its clientMsgId, e.g. {@code w1.42}),
 * and feeds every event into the loss/duplicate/order ledger.
 */
final class MessageTracker implements BenchClient.Handler {

    final String prefix;
    final SendLog sends = new SendLog();
    final LatencyRecorder ack;
    final LatencyRecorder deliver;
    /** From the event's own timestamp (set when the gateway took the send) to its delivery: where a delay sits. */
    final LatencyRecorder fromEventTs;
    final DeliveryLedger ledger = new DeliveryLedger();
    final AtomicLong acks = new AtomicLong();
    final AtomicLong events = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    volatile String lastError;
    private final boolean countOwn;
    /** Called after each ack of this workload (closed-loop workloads send the next message from here). */
    volatile java.util.function.BiConsumer<BenchClient, Long> onAck = (c, now) -> { };

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

    /** Where each event of a live {@code events} batch starts (events are Jackson's compact output). */
    private static final String EVENT_START = "{\"type\":\"event\",";

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
        switch (type) {
            case "event" -> {
                String channel = FrameFields.strAt(frame, FrameFields.CHANNEL);
                long seq = FrameFields.numAt(frame, FrameFields.SEQ, -1);
                if (channel == null || seq < 0) {
                    return;
                }
                DeliveryLedger.Stream stream;
                if (channel.equals(c.home)) {
                    c.lastSeq = Math.max(c.lastSeq, seq);
                    stream = c.homeStream;
                    if (stream == null || c.homeLedger != ledger) {
                        stream = ledger.stream(c.key, channel, c.after);
                        c.homeStream = stream;
                        c.homeLedger = ledger;
                    }
                } else {
                    stream = ledger.stream(c.key, channel, c.after);
                }
                stream.received(seq);
                long i = SendLog.indexOf(FrameFields.strAt(frame, FrameFields.CLIENT_MSG_ID), prefix);
                if (i >= 0) {
                    events.incrementAndGet();
                    if (countOwn || !frame.regionMatches(frame.indexOf(FrameFields.USER) + FrameFields.USER.length(), c.userQuoted, 0,
                            c.userQuoted.length())) {
                        if (deliver.record(sends.get(i), now)) {
                            long ts = FrameFields.numAt(frame, FrameFields.TS, 0);
                            if (ts > 0) {
                                fromEventTs.recordMicros((System.currentTimeMillis() - ts) * 1_000);
                            }
                        }
                    }
                }
            }
            case "ack" -> {
                long i = SendLog.indexOf(FrameFields.strAt(frame, FrameFields.CLIENT_MSG_ID), prefix);
                if (i >= 0) {
                    ack.record(sends.get(i), now);
                    ledger.acked(FrameFields.str(frame, "channel"), FrameFields.num(frame, "seq", 0));
                    acks.incrementAndGet();
                    onAck.accept(c, now);
                }
            }
            case "error" -> {
                errors.incrementAndGet();
                lastError = frame;
            }
            default -> {
                // welcome, ok, caught_up: not this tracker's business
            }
        }
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
