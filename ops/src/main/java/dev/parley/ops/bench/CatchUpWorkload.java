package dev.parley.ops.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * W4 catch-up: a member goes offline, the other member sends 10,000 messages (all acked), then the first
 * reconnects with {@code resume {channel: lastSeq}}: the time from its hello (the resume frame) until all
 * 10,000 were received in order, and until {@code caught_up}. Repeated; each repetition resumes from the
 * same seq as a new device, so it misses the same 10,000.
 */
final class CatchUpWorkload {

    static final int MISSED = 10_000;
    static final int REPETITIONS = 3;

    private CatchUpWorkload() {
    }

    static void run(BenchContext ctx) throws Exception {
        int missed = ctx.scaled(MISSED);
        Results r = ctx.results;
        try (ClientPool pool = ctx.pool()) {
            Rooms rooms = Rooms.setup(pool, ctx.tag + "-w4", 1, 2, Duration.ofSeconds(60));
            String channel = rooms.channels.get(0);
            BenchClient writer = rooms.members.get(0).get(0);
            BenchClient reader = rooms.members.get(0).get(1);
            long from = Math.max(Rooms.headIn(reader.welcome.getNow(""), channel), reader.lastSeq);
            reader.close();
            reader.closed.get(10, TimeUnit.SECONDS);

            MessageTracker t = new MessageTracker("W4", "w4.", false);
            writer.handler = t;
            Semaphore window = new Semaphore(200);
            t.onAck = (c, now) -> window.release();
            ctx.log("W4: %d messages while a member is offline", missed);
            for (int i = 0; i < missed; i++) {
                window.acquire();
                long n = t.sends.add(System.nanoTime());
                writer.send(BenchClient.send(channel, "w4." + n, BenchContext.TEXT));
            }
            t.drain(missed, Duration.ofSeconds(120));
            if (t.acks.get() < missed) {
                throw new IllegalStateException("W4: only " + t.acks.get() + " of " + missed + " sends acked");
            }
            long head = writer.lastSeq;
            LatencyRecorder all = new LatencyRecorder("W4 resume->all received");
            List<Double> times = new ArrayList<>();
            long problems = 0;
            for (int rep = 0; rep < REPETITIONS; rep++) {
                BenchClient again = new BenchClient(reader.user, "resume" + rep);
                again.home = channel;
                again.after = from;
                DeliveryLedger ledger = new DeliveryLedger();
                ledger.acked(channel, head);
                DeliveryLedger.Stream stream = ledger.stream(again.key, channel, from);
                CountDownLatch done = new CountDownLatch(2);
                long[] at = new long[2];
                again.handler = (c, type, frame, now) -> {
                    if (type.equals("event") && channel.equals(FrameFields.str(frame, "channel"))) {
                        long seq = FrameFields.num(frame, "seq", -1);
                        stream.received(seq);
                        if (seq == head && at[0] == 0) {
                            at[0] = now;
                            done.countDown();
                        }
                    } else if (type.equals("caught_up") && at[1] == 0) {
                        at[1] = now;
                        done.countDown();
                    }
                };
                pool.open(again, Map.of(channel, from)).get(30, TimeUnit.SECONDS);
                boolean finished = done.await(60, TimeUnit.SECONDS);
                long hello = again.helloSentNanos;
                boolean inOrder = finished && stream.hasAll(from, head) && stream.delivered() == head - from;
                double seconds = (at[0] - hello) / 1e9;
                if (!inOrder) {
                    problems++;
                    r.note("W4 repetition " + rep + ": got " + stream.delivered() + " of " + (head - from) + " events, finished "
                            + finished);
                } else {
                    times.add(seconds);
                    all.recordMicros((at[0] - hello) / 1_000);
                }
                DeliveryLedger.Totals totals = ledger.totals();
                problems += totals.duplicates() + totals.outOfOrder();
                ctx.log("W4 #%d: %d events in %.3f s after the resume (caught_up at %.3f s), %s", rep, stream.delivered(),
                        seconds, (at[1] - hello) / 1e9, totals);
                r.put("W4.caught_up_s." + rep, (at[1] - hello) / 1e9);
                again.close();
            }
            times.sort(Double::compare);
            r.put("W4.missed", head - from);
            r.put("W4.median_s", times.isEmpty() ? Double.NaN : times.get(times.size() / 2));
            r.put("W4.max_s", times.isEmpty() ? Double.NaN : times.get(times.size() - 1));
            r.put("W4.problems", problems);
            r.put("W4.repetitions", REPETITIONS);
        }
    }
}
