package dev.parley.ops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.client.ClientStorage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * W4 catch-up: a member goes offline, the other member sends 10,000 messages (all acked), then the first comes back
 * as a new Java client on a copy of the first one's storage (its cursor): the time from the new client's start
 * (connect, then the hello carrying {@code resume {channel: cursor}}) until all 10,000 were handed over in order.
 * Repeated; each repetition starts from a copy of the same storage, so it misses the same 10,000.
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
            Member writer = rooms.members.get(0).get(0);
            Member reader = rooms.members.get(0).get(1);
            Long cursor = reader.client.cursor(channel);
            reader.close();
            long from = cursor == null ? reader.headInWelcome(channel) : cursor;

            MessageTracker t = new MessageTracker("W4", "w4.", false);
            writer.handler = t;
            Semaphore window = new Semaphore(200);
            t.onAck = (c, now) -> window.release();
            ctx.log("W4: %d messages while a member is offline", missed);
            for (int i = 0; i < missed; i++) {
                window.acquire();
                t.send(writer, channel, t.sends.add(System.nanoTime()), BenchContext.TEXT);
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
                Member again = pool.member(reader.user, "resume" + rep, channel, copyOf(reader.storage));
                again.after = from;
                DeliveryLedger ledger = new DeliveryLedger();
                ledger.acked(channel, head);
                DeliveryLedger.Stream stream = ledger.stream(again.key, channel, from);
                CountDownLatch done = new CountDownLatch(1);
                long[] at = new long[1];
                again.handler = new Member.Handler() {
                    public void onEvent(Member m, JsonNode e, long now) {
                        if (channel.equals(e.path("channel").asText())) {
                            long seq = e.path("seq").asLong(-1);
                            stream.received(seq);
                            if (seq == head && at[0] == 0) {
                                at[0] = now;
                                done.countDown();
                            }
                        }
                    }

                    public void onAck(Member m, JsonNode ack, long now) {
                    }
                };
                long started = System.nanoTime();
                again.client.start().get(30, TimeUnit.SECONDS);
                boolean finished = done.await(60, TimeUnit.SECONDS);
                boolean inOrder = finished && stream.hasAll(from, head) && stream.delivered() == head - from;
                double seconds = (at[0] - started) / 1e9;
                if (!inOrder) {
                    problems++;
                    r.note("W4 repetition " + rep + ": got " + stream.delivered() + " of " + (head - from) + " events, finished "
                            + finished);
                } else {
                    times.add(seconds);
                    all.recordMicros((at[0] - started) / 1_000);
                }
                DeliveryLedger.Totals totals = ledger.totals();
                problems += totals.duplicates() + totals.outOfOrder();
                ctx.log("W4 #%d: %d events in %.3f s after the client's start, %s", rep, stream.delivered(), seconds, totals);
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

    /** A new in-memory storage holding what {@code source} holds (the cursor; the outbox is empty). */
    static ClientStorage copyOf(ClientStorage source) {
        ClientStorage copy = ClientStorage.memory();
        for (String key : source.keys("")) {
            source.get(key).ifPresent(v -> copy.put(key, v));
        }
        return copy;
    }
}
