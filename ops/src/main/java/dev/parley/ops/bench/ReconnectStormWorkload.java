package dev.parley.ops.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * W5 reconnect storm: 200 channels x 10 members (2,000 connections) drop at once without a close handshake;
 * while they are away each channel's writer (an extra member that stays) sends 5 messages; then all 2,000
 * reconnect at once with {@code resume}. Synced = the client got {@code caught_up} and every event it missed,
 * in order. Reports the time until the last one is synced, per-client times, and every error.
 */
final class ReconnectStormWorkload {

    static final int CLIENTS = 2_000;
    static final int PER_CHANNEL = 10;
    static final int MISSED = 5;

    private ReconnectStormWorkload() {
    }

    static void run(BenchContext ctx) throws Exception {
        int clients = ctx.scaled(CLIENTS);
        int channels = Math.max(1, clients / PER_CHANNEL);
        Results r = ctx.results;
        try (ClientPool pool = ctx.pool()) {
            ctx.log("W5: setting up %d channels x %d members + a writer each", channels, PER_CHANNEL);
            Rooms rooms = Rooms.setup(pool, ctx.tag + "-w5", channels, PER_CHANNEL + 1, Duration.ofSeconds(180));
            MessageTracker t = new MessageTracker("W5", "w5.", false);
            List<BenchClient> droppers = new ArrayList<>();
            for (int c = 0; c < channels; c++) {
                List<BenchClient> m = rooms.members.get(c);
                m.get(0).handler = t;
                for (BenchClient b : m.subList(1, m.size())) {
                    b.handler = t;
                    droppers.add(b);
                }
            }
            Thread.sleep(1000);
            Map<String, Long> resumeFrom = new ConcurrentHashMap<>();
            for (BenchClient b : droppers) {
                resumeFrom.put(b.user, Math.max(b.lastSeq, Rooms.headIn(b.welcome.getNow(""), b.home)));
            }
            ctx.log("W5: %d clients drop", droppers.size());
            droppers.forEach(BenchClient::disconnect);
            Thread.sleep(1000);
            long sends = 0;
            for (int k = 0; k < MISSED; k++) {
                for (int c = 0; c < channels; c++) {
                    long i = t.sends.add(System.nanoTime());
                    rooms.members.get(c).get(0).send(BenchClient.send(rooms.channels.get(c), "w5." + i, BenchContext.TEXT));
                    sends++;
                }
            }
            t.drain(sends, Duration.ofSeconds(60));
            Map<String, Long> heads = new ConcurrentHashMap<>();
            for (int c = 0; c < channels; c++) {
                heads.put(rooms.channels.get(c), rooms.members.get(c).get(0).lastSeq);
            }

            DeliveryLedger ledger = new DeliveryLedger();
            heads.forEach(ledger::acked);
            CountDownLatch synced = new CountDownLatch(droppers.size());
            LatencyRecorder perClient = new LatencyRecorder("W5 reconnect->synced");
            AtomicLong lastSynced = new AtomicLong();
            AtomicLong errorFrames = new AtomicLong();
            List<BenchClient> back = new ArrayList<>();
            long t0 = System.nanoTime();
            for (BenchClient old : droppers) {
                BenchClient b = new BenchClient(old.user, "d2");
                b.home = old.home;
                b.after = resumeFrom.get(old.user);
                long head = heads.get(b.home);
                DeliveryLedger.Stream stream = ledger.stream(b.key, b.home, b.after);
                boolean[] state = new boolean[2]; // caught_up seen, synced counted
                b.handler = (c, type, frame, now) -> {
                    if (type.equals("event") && c.home.equals(FrameFields.str(frame, "channel"))) {
                        stream.received(FrameFields.num(frame, "seq", -1));
                    } else if (type.equals("caught_up") && c.home.equals(FrameFields.str(frame, "channel"))) {
                        state[0] = true;
                    } else if (type.equals("error")) {
                        errorFrames.incrementAndGet();
                    }
                    if (state[0] && !state[1] && stream.hasAll(c.after, head)) {
                        state[1] = true;
                        perClient.recordMicros((now - t0) / 1_000);
                        lastSynced.accumulateAndGet(now, Math::max);
                        synced.countDown();
                    }
                };
                back.add(b);
            }
            ctx.log("W5: %d clients reconnect at once with resume", back.size());
            var cpu = Window.begin(ctx.processes);
            List<Throwable> failures = pool.openAll(back, b -> Map.of(b.home, b.after), back.size(), Duration.ofSeconds(120));
            boolean all = synced.await(120, TimeUnit.SECONDS);
            r.processes.put("W5", cpu.end());
            DeliveryLedger.Totals totals = ledger.totals();
            long notSynced = synced.getCount();
            double seconds = (lastSynced.get() - t0) / 1e9;
            r.put("W5.clients", back.size());
            r.put("W5.synced", back.size() - notSynced);
            r.put("W5.all_synced_s", all ? seconds : Double.NaN);
            r.put("W5.connect_failures", failures.size());
            r.put("W5.error_frames", errorFrames.get());
            r.put("W5.errors", failures.size() + errorFrames.get() + notSynced);
            r.latency(perClient);
            r.ledgers.put("W5", totals);
            if (!failures.isEmpty()) {
                r.note("W5 connect failure, e.g. " + failures.get(0));
            }
            ctx.log("W5: %d/%d synced, last after %.2f s; %d connect failures, %d error frames; %s", back.size() - notSynced,
                    back.size(), seconds, failures.size(), errorFrames.get(), totals);
        }
    }
}
