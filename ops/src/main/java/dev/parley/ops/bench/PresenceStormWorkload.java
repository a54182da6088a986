package dev.parley.ops.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * W7 presence storm: does the ephemeral path leave the durable one alone? A second gateway joins the system. W1's
 * load (100 channels x 2 members on the first gateway, 2,000 sends/s) runs four times: calm, during a reconnect storm
 * without presence, during the same storm with presence, calm again (the calm windows are merged, so drift of a
 * shared machine falls on both sides). In the storm W5's 2,000 clients (in rooms of 50, each watching the presence of its 50 room members) drop without a
 * close handshake and reconnect, each time to the other gateway, over and over. In the calm and presence-storm windows, probe users on
 * the first gateway toggle away/online and observers on the second measure change -> {@code presence} frame.
 * Reports W1 send->deliver p99 with and without the storm, and the presence propagation latency.
 */
final class PresenceStormWorkload {

    static final int CLIENTS = 2_000;
    static final int WATCHED = 50;
    static final int PROBES = 20;
    static final Duration PROBE_EVERY = Duration.ofMillis(500);
    static final Duration STORM_PAUSE = Duration.ofSeconds(1);

    private PresenceStormWorkload() {
    }

    static void run(BenchContext ctx) throws Exception {
        Results r = ctx.results;
        if (ctx.gatewayEnv == null) {
            r.note("W7 skipped: it starts a second gateway, so it needs the embedded system (no --url)");
            return;
        }
        Map<String, String> env = new LinkedHashMap<>(ctx.gatewayEnv);
        env.put("PARLEY_GATEWAY_ID", "gw-bench-2");
        ChildProcess second = ctx.launcher.start("gateway-2", env);
        URI ws2 = URI.create(second.awaitReady(Duration.ofSeconds(120)).get("ws"));
        ctx.processes.put("gateway-2", StatsSource.of(second));
        try (ClientPool one = ctx.pool(); ClientPool two = new ClientPool(ws2, ctx.jwtSecret)) {
            ctx.log("W7: setting up W1's 100 channels x 2 members on gateway 1");
            Rooms steady = Rooms.setup(one, ctx.tag + "-w7", 100, 2, Duration.ofSeconds(120));
            ThroughputWorkload.warmUp(ctx, steady, ctx.warmup.multipliedBy(2));

            int clients = ctx.scaled(CLIENTS);
            int rooms = Math.max(1, clients / WATCHED);
            ctx.log("W7: setting up %d storm rooms x %d members and %d probes", rooms, WATCHED, PROBES);
            Rooms storm = Rooms.setup(one, ctx.tag + "-w7s", rooms, WATCHED, Duration.ofSeconds(300));
            Rooms probes = Rooms.setup(one, ctx.tag + "-w7p", PROBES, 2, Duration.ofSeconds(120));

            // Observers move to gateway 2 and watch their probe; probes stay on gateway 1.
            Probe probe = new Probe(probes, PROBES);
            List<BenchClient> observers = new ArrayList<>();
            for (int c = 0; c < PROBES; c++) {
                Member old = probes.members.get(c).get(1);
                old.close();
                BenchClient o = new BenchClient(old.user, "observer");
                o.home = old.home;
                o.watch = List.of(probes.members.get(c).get(0).user);
                o.handler = probe;
                observers.add(o);
            }
            Rooms.check(two.openAll(observers, c -> Map.of(), PROBES, Duration.ofSeconds(60)), "connect the observers");

            // Storm clients: each watches its room (its 49 mates and itself); half start on each gateway.
            List<BenchClient> stormClients = new ArrayList<>();
            for (List<Member> members : storm.members) {
                List<String> room = members.stream().map(b -> b.user).toList();
                for (Member b : members) {
                    b.close();
                    BenchClient s = new BenchClient(b.user, "storm");
                    s.home = b.home;
                    s.watch = room;
                    stormClients.add(s);
                }
            }
            Storm stormer = new Storm(ctx, stormClients, one, two);
            stormer.connectAll(0);

            // Calm, a reconnect storm without presence, the same storm with presence, calm again: the machine's drift
            // (other work on a shared box) falls on both sides, and the storm without presence separates what the
            // reconnects cost the durable path (hello, channel lists) from what the ephemeral path adds.
            probe.start(ctx, "W7 presence change->frame (calm)");
            SteadyWorkload.Measured calm = SteadyWorkload.measure(ctx, steady, "W7 calm", "w7c.");
            LatencyRecorder calmPresence = probe.stop();

            stormer.start(false);
            SteadyWorkload.Measured reconnects = SteadyWorkload.measure(ctx, steady, "W7 reconnect storm (no presence)", "w7r.");
            stormer.stop();

            stormer.start(true);
            probe.start(ctx, "W7 presence change->frame (storm)");
            SteadyWorkload.Measured stormy = SteadyWorkload.measure(ctx, steady, "W7 presence storm", "w7s.");
            LatencyRecorder stormPresence = probe.stop();
            stormer.stop();

            probe.start(ctx, "W7 presence change->frame (calm, after)");
            SteadyWorkload.Measured calmAgain = SteadyWorkload.measure(ctx, steady, "W7 calm after", "w7a.");
            LatencyRecorder calmPresenceAgain = probe.stop();

            org.HdrHistogram.Histogram calmBoth = calm.tracker().deliver.snapshot();
            calmBoth.add(calmAgain.tracker().deliver.snapshot());
            String calmName = "W7 calm (before+after) send->deliver";
            r.latencies.put(calmName, LatencyRecorder.Summary.of(calmName, calmBoth));
            r.histograms.put(calmName, calmBoth);
            r.latency(reconnects.tracker().deliver);
            r.latency(stormy.tracker().deliver);
            org.HdrHistogram.Histogram calmProbes = calmPresence.snapshot();
            calmProbes.add(calmPresenceAgain.snapshot());
            String probeName = "W7 presence change->frame (calm)";
            r.latencies.put(probeName, LatencyRecorder.Summary.of(probeName, calmProbes));
            r.histograms.put(probeName, calmProbes);
            r.latency(stormPresence);
            double calmP99 = r.latencies.get(calmName).p99();
            double reconnectP99 = reconnects.tracker().deliver.summary().p99();
            double stormP99 = stormy.tracker().deliver.summary().p99();
            r.put("W7.calm_deliver_p99_ms", calmP99);
            r.put("W7.reconnect_storm_deliver_p99_ms", reconnectP99);
            r.put("W7.storm_deliver_p99_ms", stormP99);
            r.put("W7.storm_over_calm", stormP99 / calmP99);
            r.put("W7.storm_over_reconnect_storm", stormP99 / reconnectP99);
            r.put("W7.storm_clients", stormClients.size());
            r.put("W7.storm_watched_per_client", WATCHED);
            r.put("W7.storm_cycles", stormer.cycles.get());
            r.put("W7.storm_reconnects", stormer.reconnects.get());
            r.put("W7.storm_connect_failures", stormer.failures.get());
            if (stormer.firstFailure != null) {
                r.note("W7 storm connect failure, e.g. " + stormer.firstFailure);
            }
            r.put("W7.storm_error_frames", stormer.errorFrames.get());
            if (stormer.lastError != null) {
                r.note("W7 storm error frame, e.g. " + stormer.lastError);
            }
            r.put("W7.presence_changes", probe.changes.get());
            r.put("W7.presence_unanswered", probe.unanswered.get());
            r.put("W7.errors", calm.tracker().errors.get() + reconnects.tracker().errors.get() + stormy.tracker().errors.get()
                    + calmAgain.tracker().errors.get());
            r.ledgers.put("W7 calm", calm.totals());
            r.ledgers.put("W7 reconnect storm", reconnects.totals());
            r.ledgers.put("W7 presence storm", stormy.totals());
            r.ledgers.put("W7 calm after", calmAgain.totals());
            r.processes.put("W7 calm", calm.cpu());
            r.processes.put("W7 reconnect storm", reconnects.cpu());
            r.processes.put("W7 presence storm", stormy.cpu());
            r.processes.put("W7 calm after", calmAgain.cpu());
            ctx.log("W7: deliver p99 calm %.1f ms, reconnect storm %.1f ms, presence storm %.1f ms (%.2fx calm); presence calm %s"
                    + " | storm %s; %d storm cycles, %d reconnects, %d failures", calmP99, reconnectP99, stormP99, stormP99 / calmP99,
                    calmPresence.summary(), stormPresence.summary(), stormer.cycles.get(), stormer.reconnects.get(),
                    stormer.failures.get());
        } finally {
            ctx.processes.remove("gateway-2");
            second.close();
        }
    }

    /**
     * Probe users toggle away/online on gateway 1; their observers on gateway 2 time each change until its
     * {@code presence} frame. Every toggle is a change, so each one's frame is expected, in order: a toggle whose
     * frame never comes counts as unanswered (not as fast).
     */
    private static final class Probe implements BenchClient.Handler {
        private final Rooms rooms;
        private final int count;
        private final Map<String, java.util.Queue<long[]>> pending = new java.util.concurrent.ConcurrentHashMap<>();
        private final AtomicLong changes = new AtomicLong();
        private final AtomicLong unanswered = new AtomicLong();
        private volatile LatencyRecorder recorder;
        private volatile Thread thread;
        private final AtomicBoolean running = new AtomicBoolean();
        private boolean away = true;

        Probe(Rooms rooms, int count) {
            this.rooms = rooms;
            this.count = count;
            for (int c = 0; c < count; c++) {
                pending.put(rooms.members.get(c).get(0).user, new java.util.concurrent.ConcurrentLinkedQueue<>());
            }
        }

        void start(BenchContext ctx, String name) {
            recorder = new LatencyRecorder(name);
            running.set(true);
            thread = new Thread(() -> {
                long next = System.nanoTime();
                while (running.get()) {
                    for (int c = 0; c < count; c++) {
                        Member p = rooms.members.get(c).get(0);
                        pending.get(p.user).add(new long[] {away ? 1 : 0, System.nanoTime()});
                        p.client.setStatus(away ? "away" : "online");
                        next += PROBE_EVERY.toNanos() / count;
                        Pacer.sleepUntil(next);
                    }
                    away = !away;
                }
            }, "bench-presence-probe");
            thread.setDaemon(true);
            thread.start();
        }

        /** Stops toggling, gives the last changes time to arrive, and returns their latencies. */
        LatencyRecorder stop() throws InterruptedException {
            running.set(false);
            thread.join();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (pending.values().stream().anyMatch(q -> !q.isEmpty()) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            pending.values().forEach(q -> {
                unanswered.addAndGet(q.size());
                q.clear();
            });
            return recorder;
        }

        @Override
        public void onFrame(BenchClient c, String type, String frame, long now) {
            if (!type.equals("presence")) {
                return;
            }
            String user = FrameFields.str(frame, "user");
            java.util.Queue<long[]> q = user == null ? null : pending.get(user);
            if (q == null) {
                return;
            }
            boolean away = "away".equals(FrameFields.str(frame, "status"));
            long[] head;
            while ((head = q.poll()) != null) {
                if ((head[0] == 1) == away) {
                    changes.incrementAndGet();
                    recorder.recordMicros((now - head[1]) / 1_000);
                    return;
                }
                unanswered.incrementAndGet();
            }
        }
    }

    /** The storm: every client drops and reconnects to the other gateway, again and again, until stopped. */
    private static final class Storm {
        private final BenchContext ctx;
        private final List<BenchClient> clients;
        private final ClientPool[] pools;
        private final AtomicBoolean running = new AtomicBoolean();
        private final AtomicLong cycles = new AtomicLong();
        private final AtomicLong reconnects = new AtomicLong();
        private final AtomicLong failures = new AtomicLong();
        private final AtomicLong errorFrames = new AtomicLong();
        private final List<List<String>> rooms = new ArrayList<>();
        private volatile Throwable firstFailure;
        private volatile String lastError;
        private volatile boolean watching = true;
        private Thread thread;

        Storm(BenchContext ctx, List<BenchClient> clients, ClientPool one, ClientPool two) {
            this.ctx = ctx;
            this.clients = new ArrayList<>(clients);
            this.pools = new ClientPool[] {one, two};
            clients.forEach(c -> rooms.add(c.watch));
        }

        /** Connects every client, client i to gateway (i + cycle) % 2. */
        void connectAll(int cycle) throws InterruptedException {
            List<List<BenchClient>> byGateway = List.of(new ArrayList<>(), new ArrayList<>());
            for (int i = 0; i < clients.size(); i++) {
                BenchClient old = clients.get(i);
                errorFrames.addAndGet(old.errorFrames.get());
                if (old.lastError != null) {
                    lastError = old.lastError;
                }
                BenchClient b = new BenchClient(old.user, old.device);
                b.home = old.home;
                b.watch = watching ? rooms.get(i) : null;
                clients.set(i, b);
                byGateway.get((i + cycle) % 2).add(b);
            }
            for (int g = 0; g < 2; g++) {
                List<Throwable> failed = pools[g].openAll(byGateway.get(g), c -> Map.of(), 500, Duration.ofSeconds(120));
                failures.addAndGet(failed.size());
                if (!failed.isEmpty() && firstFailure == null) {
                    firstFailure = failed.get(0);
                }
                reconnects.addAndGet(byGateway.get(g).size() - failed.size());
            }
        }

        /** @param watching whether the reconnecting clients watch their rooms' presence */
        void start(boolean watching) {
            this.watching = watching;
            running.set(true);
            thread = new Thread(() -> {
                try {
                    for (int cycle = 1; running.get(); cycle++) {
                        clients.forEach(BenchClient::disconnect);
                        Thread.sleep(STORM_PAUSE.toMillis());
                        long t0 = System.nanoTime();
                        connectAll(cycle);
                        cycles.incrementAndGet();
                        ctx.log("W7 storm%s: cycle %d, %d clients reconnected in %.2f s (%d failures so far)",
                                watching ? "" : " (no presence)", cycle, clients.size(), (System.nanoTime() - t0) / 1e9, failures.get());
                        Thread.sleep(STORM_PAUSE.toMillis());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "bench-presence-storm");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(180_000);
        }
    }
}
