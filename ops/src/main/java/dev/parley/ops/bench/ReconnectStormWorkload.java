package dev.parley.ops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * W5 reconnect storm: 200 channels x 10 members (2,000 Java clients) go away at once; while they are away each
 * channel's writer (an extra member that stays) sends 5 messages; then all 2,000 come back at once, each as a new
 * client on a copy of its storage, so it resumes from its own cursor. Synced = the client handed over every event it
 * missed, in order. Reports the time until the last one is synced, per-client times, and every error.
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
            List<Member> droppers = new ArrayList<>();
            for (int c = 0; c < channels; c++) {
                List<Member> m = rooms.members.get(c);
                m.get(0).handler = t;
                for (Member b : m.subList(1, m.size())) {
                    b.handler = t;
                    droppers.add(b);
                }
            }
            Thread.sleep(1000); // let the joins' own fan-out settle
            Map<String, Long> resumeFrom = new ConcurrentHashMap<>();
            for (Member b : droppers) {
                Long cursor = b.client.cursor(b.home);
                resumeFrom.put(b.user, cursor == null ? b.headInWelcome(b.home) : cursor);
            }
            ctx.log("W5: %d clients go away", droppers.size());
            droppers.forEach(Member::close);
            long sends = 0;
            for (int k = 0; k < MISSED; k++) {
                for (int c = 0; c < channels; c++) {
                    t.send(rooms.members.get(c).get(0), rooms.channels.get(c), t.sends.add(System.nanoTime()), BenchContext.TEXT);
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
            AtomicLong stormStart = new AtomicLong(); // set just before the storm, read by the handlers
            List<Member> back = new ArrayList<>();
            for (Member old : droppers) {
                Member b = pool.member(old.user, "d2", old.home, CatchUpWorkload.copyOf(old.storage));
                b.after = resumeFrom.get(old.user);
                long head = heads.get(b.home);
                DeliveryLedger.Stream stream = ledger.stream(b.key, b.home, b.after);
                b.client.onError(e -> errorFrames.incrementAndGet());
                b.handler = new Member.Handler() {
                    private boolean counted;

                    public void onEvent(Member m, JsonNode e, long now) {
                        if (!m.home.equals(e.path("channel").asText())) {
                            return;
                        }
                        stream.received(e.path("seq").asLong(-1));
                        if (!counted && stream.hasAll(m.after, head)) {
                            counted = true;
                            perClient.recordMicros((now - stormStart.get()) / 1_000);
                            lastSynced.accumulateAndGet(now, Math::max);
                            synced.countDown();
                        }
                    }

                    public void onAck(Member m, JsonNode ack, long now) {
                    }
                };
                back.add(b);
            }
            ctx.log("W5: %d clients come back at once, each resuming from its cursor", back.size());
            var cpu = Window.begin(ctx.processes);
            long t0 = System.nanoTime();
            stormStart.set(t0);
            List<Throwable> failures = pool.startAll(back, back.size(), Duration.ofSeconds(120));
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
