package dev.parley.gateway.presence;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.api.events.Memberships;
import dev.parley.api.presence.ConnectionRegistry;
import dev.parley.api.presence.GatewayView;
import dev.parley.api.presence.PresenceChange;
import dev.parley.api.presence.RegistryTail;
import dev.parley.api.presence.UserPresence;
import dev.parley.api.query.QueryUnavailableException;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.gateway.GatewayConfig;
import dev.parley.gateway.hub.ClientSession;
import dev.parley.gateway.hub.Frames;
import dev.parley.gateway.hub.RecentMemberships;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's side of the ephemeral path for presence: it writes the users it holds to the connection registry
 * ({@link LocalPresence}, {@link RegistryWriter}, heartbeats), tails the registry into a {@link ConnectionRegistry},
 * and tells each connection about the users it watches and may see ({@link WatchList}), on change only
 * ({@link PresenceDebounce}). Nothing here touches the command path: no transaction, no topology write.
 *
 * <p>Threads: registry writes and heartbeats run on one thread ({@code parley-presence-writer}) so they reach Kafka in
 * the order decided; everything about watchers (watch lists, fan-out, debounce timers, replies) runs on another
 * ({@code parley-presence-fanout}), so the frames of one connection go out in the order decided too. The
 * {@link SharedChannels} lookups, which wait on the topology, run on a few threads of their own: never on a
 * connection's thread or the gateway's workers, which run the commands.
 */
public final class PresenceService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PresenceService.class);
    /**
     * After a join, users still hidden are asked about again after 2, 4, 8 and 16 s: the topology's memberships
     * may trail the log (or a query time out) for longer than one retry on a busy machine, and a join must not
     * leave a watcher blind for good.
     */
    private static final Duration RECHECK_LATER = Duration.ofSeconds(2);
    private static final int RECHECK_RETRIES = 4;
    private static final int LOOKUP_THREADS = 4;
    /** Lookups waiting for a thread; beyond, presence_watch is answered {@code overloaded}. */
    private static final int LOOKUP_QUEUE = 1_000;
    private static final long OVERLOADED_RETRY_MS = 1_000;

    private final GatewayConfig config;
    private final PresenceConfig settings;
    private final Clock clock;
    private final SharedChannels shared;
    private final RecentMemberships recent;
    private final ExecutorService lookups;
    private final ConnectionRegistry registry;
    private final LocalPresence local;
    private final PresenceDebounce debounce;
    private final ScheduledExecutorService writerThread;
    private final ScheduledExecutorService fanoutThread;
    private final Counter framesSent;
    private RegistryTail tail;
    private RegistryWriter writer;

    // Owned by the fan-out thread.
    private final Map<ClientSession, WatchList> lists = new HashMap<>();
    private final Map<String, Set<ClientSession>> byWatcher = new HashMap<>();
    private final Map<String, Set<ClientSession>> requestedBy = new HashMap<>();
    private final Map<String, Set<ClientSession>> watchers = new HashMap<>();

    private PresenceService(GatewayConfig config, Clock clock, SharedChannels shared, RecentMemberships recent,
                            MeterRegistry meters) {
        this.config = config;
        this.settings = config.presence();
        this.clock = clock;
        this.shared = shared;
        this.recent = recent;
        this.lookups = lookupPool("parley-presence-lookup-" + config.gatewayId());
        this.registry = new ConnectionRegistry(settings.gatewayTimeout(), settings.forgetAfter());
        this.local = new LocalPresence(settings.idleAfter(), settings.offlineGrace());
        this.debounce = new PresenceDebounce(settings.debounce());
        this.writerThread = thread("parley-presence-writer-" + config.gatewayId());
        this.fanoutThread = thread("parley-presence-fanout-" + config.gatewayId());
        this.framesSent = Counter.builder("parley_gateway_presence_frames")
                .description("presence frames sent to watchers (changes, not replies)").register(meters);
        meters.gauge("parley_gateway_presence_registry_gateways", registry, r -> r.gateways().stream().filter(GatewayView::alive).count());
    }

    /**
     * Reads the registry to its end, supersedes what an earlier process with this gateway id left in it, says this
     * gateway is alive, and starts the heartbeats: returns once other readers can count this gateway's users.
     */
    public static PresenceService start(GatewayConfig config, Clock clock, SharedChannels shared, RecentMemberships recent,
                                        MeterRegistry meters) {
        PresenceService p = new PresenceService(config, clock, shared, recent, meters);
        try {
            p.open();
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
        return p;
    }

    private void open() {
        Map<String, Object> kafka = new HashMap<>(config.kafkaOverrides());
        kafka.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        tail = new RegistryTail(kafka, config.serdeConfig(), config.topics().presence(), "parley-" + config.gatewayId() + "-registry",
                registry, changes -> fanoutThread.execute(guarded(() -> changed(changes))), clock);
        try {
            if (!tail.awaitCaughtUp(Duration.ofSeconds(60))) {
                throw new IllegalStateException("the connection registry (" + config.topics().presence() + ") could not be read within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the connection registry", e);
        }
        long previous = registry.gateways().stream().filter(g -> g.gateway().equals(config.gatewayId()))
                .mapToLong(GatewayView::incarnation).max().orElse(Long.MIN_VALUE);
        Set<String> leftOver = registry.usersOf(config.gatewayId());
        long incarnation = Math.max(clock.millis(), previous + 1);
        writer = new RegistryWriter(config, incarnation, user -> writerThread.execute(guarded(() -> write(local.retry(user, clock.millis())))));
        // The heartbeat of the new incarnation supersedes the old one's entries for every reader at once; the
        // tombstones then clear them from the topic. All before any client connects.
        writer.heartbeat(0, 0);
        leftOver.forEach(writer::remove);
        writer.flush(Duration.ofSeconds(10));
        if (!leftOver.isEmpty()) {
            LOG.info("gateway {} superseded {} registry entries of its previous incarnation", config.gatewayId(), leftOver.size());
        }
        long beat = settings.heartbeat().toMillis();
        writerThread.scheduleAtFixedRate(guarded(() -> writer.heartbeat(local.users(), local.connections())), beat, beat,
                TimeUnit.MILLISECONDS);
        writerThread.scheduleAtFixedRate(guarded(() -> write(local.tick(clock.millis()))), 500, 500, TimeUnit.MILLISECONDS);
    }

    /** The registry as this gateway reads it (for other components of the gateway). */
    public ConnectionRegistry registry() {
        return registry;
    }

    // ---- this gateway's users -------------------------------------------------------------------------------

    /** An authenticated connection: its user is online here. */
    public void connected(ClientSession s) {
        String id = s.id();
        String user = s.user();
        String device = s.device();
        writerThread.execute(guarded(() -> write(local.connected(id, user, device, clock.millis()))));
    }

    /** A client frame: the connection is not idle. */
    public void activity(ClientSession s) {
        local.activity(s.id(), clock.millis());
    }

    /** {@code set_status}: away until the client says online again. */
    public void setAway(ClientSession s, boolean away) {
        String id = s.id();
        writerThread.execute(guarded(() -> write(local.setAway(id, away, clock.millis()))));
    }

    public void closed(ClientSession s) {
        String id = s.id();
        writerThread.execute(guarded(() -> write(local.disconnected(id, clock.millis()))));
        fanoutThread.execute(guarded(() -> unwatch(s)));
    }

    private void write(List<? extends LocalPresence.Write> writes) {
        writes.forEach(writer::write);
    }

    // ---- watching -------------------------------------------------------------------------------------------

    /**
     * {@code presence_watch} (or a {@code hello}'s {@code presence}, with no request id): replaces what the connection
     * watches and answers, on the fan-out thread, with their current presence. Never blocks the caller: visibility
     * is looked up on the presence lookup threads, so a presence storm cannot hold the gateway's workers (and the
     * commands they run) waiting.
     */
    public void watch(ClientSession s, List<String> users, String requestId) {
        if (users.size() > settings.maxWatched()) {
            s.send(Frames.error("invalid", "a connection watches at most " + settings.maxWatched() + " users; this asks for "
                    + users.size(), "requestId", requestId));
            return;
        }
        try {
            lookups.execute(guarded(() -> lookUpAndWatch(s, users, requestId)));
        } catch (RejectedExecutionException e) {
            s.send(Frames.error("overloaded", "too many presence lookups are waiting on this gateway; send presence_watch again later",
                    "requestId", requestId, OVERLOADED_RETRY_MS));
        }
    }

    private void lookUpAndWatch(ClientSession s, List<String> users, String requestId) {
        Map<String, Set<String>> answer;
        try {
            answer = shared.of(s.user(), users);
        } catch (QueryUnavailableException e) {
            s.send(Frames.error("unavailable", "presence could not be checked right now; send presence_watch again",
                    "requestId", requestId));
            return;
        }
        fanoutThread.execute(guarded(() -> {
            ObjectNode reply = Frames.frame("presence_watch");
            if (requestId != null) {
                reply.put("requestId", requestId);
            }
            s.send(watchNow(s, users, answer, reply).toString());
            recheckIfJoinedRecently(s);
        }));
    }

    /**
     * Fan-out thread, right after a watch was installed: a join seen while its lookup was under way found no watch
     * list to recheck, and the answer may predate it; a join seen shortly before may be missing from it too when
     * the lookup's check of recent joins failed (a busy topology). Ask again, with retries, for the users still
     * hidden whenever the watcher or one of them joined a channel recently. (Leaves need no such care: the answer
     * was filtered with the recent leaves just now.)
     */
    private void recheckIfJoinedRecently(ClientSession s) {
        WatchList list = lists.get(s);
        if (list == null) {
            return;
        }
        List<String> hidden = list.notVisibleInOrder();
        long since = clock.millis() - TopologySharedChannels.RECENT_MILLIS;
        if (!hidden.isEmpty() && (joinedSince(s.user(), since) || hidden.stream().anyMatch(u -> joinedSince(u, since)))) {
            recheck(s, hidden, RECHECK_RETRIES, RECHECK_LATER.toMillis());
        }
    }

    private boolean joinedSince(String user, long sinceMillis) {
        return recent.latestOf(user).values().stream().anyMatch(c -> c.joined() && c.atMillis() >= sinceMillis);
    }

    /** Fan-out thread. */
    private ObjectNode watchNow(ClientSession s, List<String> users, Map<String, Set<String>> answer, ObjectNode into) {
        WatchList list = lists.get(s);
        if (list == null) {
            list = new WatchList(s.user());
            lists.put(s, list);
            byWatcher.computeIfAbsent(s.user(), u -> new HashSet<>()).add(s);
        }
        for (String u : list.requested()) {
            removeFrom(requestedBy, u, s);
        }
        WatchList.Update update = list.replace(users, withoutRecentLeaves(s.user(), answer));
        users.forEach(u -> requestedBy.computeIfAbsent(u, x -> new HashSet<>()).add(s));
        update.hidden().forEach(u -> hide(s, u, false));
        update.shown().forEach(u -> show(s, u, false));
        return PresenceFrames.block(into, list.visibleInOrder(), list.notVisibleInOrder(), this::published);
    }

    private void unwatch(ClientSession s) {
        WatchList list = lists.remove(s);
        if (list == null) {
            return;
        }
        removeFrom(byWatcher, list.watcher(), s);
        for (String u : list.requested()) {
            removeFrom(requestedBy, u, s);
            if (list.isVisible(u)) {
                hide(s, u, false);
            }
        }
    }

    private void show(ClientSession s, String user, boolean tell) {
        watchers.computeIfAbsent(user, u -> new HashSet<>()).add(s);
        PresenceDebounce.View view = published(user);
        if (tell) {
            s.send(PresenceFrames.presence(user, view));
        }
    }

    private void hide(ClientSession s, String user, boolean tell) {
        if (removeFrom(watchers, user, s) && !watchers.containsKey(user)) {
            debounce.forget(user);
        }
        if (tell) {
            s.send(PresenceFrames.notVisible(user));
        }
    }

    private PresenceDebounce.View published(String user) {
        UserPresence p = registry.presenceOf(user);
        return debounce.track(user, new PresenceDebounce.View(p.status(), p.lastSeen()));
    }

    // ---- changes --------------------------------------------------------------------------------------------

    /** Fan-out thread: what the registry tail saw. */
    private void changed(List<PresenceChange> changes) {
        long now = clock.millis();
        for (PresenceChange c : changes) {
            if (c.statusChanged() && debounce.isTracked(c.user())) {
                UserPresence p = c.after();
                act(c.user(), debounce.changed(c.user(), new PresenceDebounce.View(p.status(), p.lastSeen()), now));
            }
        }
    }

    private void act(String user, PresenceDebounce.Decision d) {
        if (d instanceof PresenceDebounce.Publish publish) {
            String frame = PresenceFrames.presence(user, publish.view());
            for (ClientSession s : watchers.getOrDefault(user, Set.of())) {
                s.send(frame);
                framesSent.increment();
            }
        } else if (d instanceof PresenceDebounce.HoldUntil hold) {
            fanoutThread.schedule(guarded(() -> act(user, debounce.due(user, clock.millis()))),
                    Math.max(0, hold.atMillis() - clock.millis()), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * A committed event from the log tail (its thread), after the hub saw it: membership changes change who may see
     * whom.
     */
    public void onEvent(ChannelEvent e) {
        List<Memberships.Change> changes = Memberships.of(e);
        if (changes.isEmpty()) {
            return; // most events: nothing to allocate on the tail's thread
        }
        String channel = e.getChannel();
        List<String> joined = new ArrayList<>(changes.size());
        for (Memberships.Change c : changes) {
            shared.membershipChanged(c.user());
            if (c.joined()) {
                joined.add(c.user());
            } else {
                fanoutThread.execute(guarded(() -> left(c.user(), channel)));
            }
        }
        if (!joined.isEmpty()) {
            fanoutThread.execute(guarded(() -> joined(joined)));
        }
    }

    private void left(String user, String channel) {
        Set<ClientSession> affected = new HashSet<>(byWatcher.getOrDefault(user, Set.of()));
        affected.addAll(watchers.getOrDefault(user, Set.of()));
        for (ClientSession s : affected) {
            WatchList list = lists.get(s);
            if (list != null) {
                list.left(user, channel).hidden().forEach(u -> hide(s, u, true));
            }
        }
    }

    private void joined(List<String> users) {
        Map<ClientSession, Set<String>> recheck = new HashMap<>();
        for (String user : users) {
            Set<ClientSession> affected = new HashSet<>(byWatcher.getOrDefault(user, Set.of()));
            affected.addAll(requestedBy.getOrDefault(user, Set.of()));
            for (ClientSession s : affected) {
                WatchList list = lists.get(s);
                Set<String> again = list == null ? Set.of() : list.joined(user);
                if (!again.isEmpty()) {
                    recheck.computeIfAbsent(s, x -> new LinkedHashSet<>()).addAll(again);
                }
            }
        }
        recheck.forEach((s, again) -> recheck(s, again, RECHECK_RETRIES, RECHECK_LATER.toMillis()));
    }

    /** Asks again whether hidden users became visible (the topology may trail the join: once more a bit later). */
    private void recheck(ClientSession s, Collection<String> users, int retriesLeft, long nextDelayMillis) {
        try {
            lookups.execute(guarded(() -> recheckNow(s, users, retriesLeft, nextDelayMillis)));
        } catch (RejectedExecutionException e) {
            LOG.debug("presence recheck for {} dropped: the lookups are full", s.user());
        }
    }

    private void recheckNow(ClientSession s, Collection<String> users, int retriesLeft, long nextDelayMillis) {
        Map<String, Set<String>> answer;
        try {
            answer = shared.of(s.user(), users);
        } catch (RuntimeException e) {
            LOG.debug("presence recheck for {} failed: {}", s.user(), e.toString());
            answer = Map.of();
        }
        Map<String, Set<String>> result = answer;
        fanoutThread.execute(guarded(() -> {
            WatchList list = lists.get(s);
            if (list == null) {
                return;
            }
            WatchList.Update u = list.recheck(users, withoutRecentLeaves(s.user(), result));
            u.shown().forEach(v -> show(s, v, true));
            u.hidden().forEach(v -> hide(s, v, true));
            List<String> still = users.stream().filter(v -> list.requested().contains(v) && !list.isVisible(v)).toList();
            if (retriesLeft > 0 && !still.isEmpty()) {
                fanoutThread.schedule(guarded(() -> recheck(s, still, retriesLeft - 1, nextDelayMillis * 2)), nextDelayMillis,
                        TimeUnit.MILLISECONDS);
            }
        }));
    }

    /**
     * Drops from a lookup's answer the channels the watcher or the other user left recently: the topology that
     * answered may not have seen the leave yet, the hub has (it runs before this thread hears of the leave).
     */
    private Map<String, Set<String>> withoutRecentLeaves(String watcher, Map<String, Set<String>> answer) {
        Map<String, RecentMemberships.Change> mine = recent.latestOf(watcher);
        Map<String, Set<String>> out = new HashMap<>();
        answer.forEach((user, channels) -> {
            Map<String, RecentMemberships.Change> theirs = recent.latestOf(user);
            Set<String> kept = new HashSet<>();
            for (String c : channels) {
                RecentMemberships.Change a = mine.get(c);
                RecentMemberships.Change b = theirs.get(c);
                if ((a == null || a.joined()) && (b == null || b.joined())) {
                    kept.add(c);
                }
            }
            if (!kept.isEmpty()) {
                out.put(user, kept);
            }
        });
        return out;
    }

    private static boolean removeFrom(Map<String, Set<ClientSession>> index, String key, ClientSession s) {
        Set<ClientSession> set = index.get(key);
        if (set == null || !set.remove(s)) {
            return false;
        }
        if (set.isEmpty()) {
            index.remove(key);
        }
        return true;
    }

    // ---- lifecycle ------------------------------------------------------------------------------------------

    /** A clean stop: every entry of this gateway and its heartbeat are removed from the registry at once. */
    @Override
    public void close() {
        if (writer != null) {
            try {
                writerThread.submit(() -> writer.stopped(local.stop(), Duration.ofSeconds(5))).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("the registry entries of gateway {} were not removed cleanly: {}", config.gatewayId(), e.toString());
            }
        }
        writerThread.shutdownNow();
        fanoutThread.shutdownNow();
        lookups.shutdownNow();
        if (writer != null) {
            writer.close();
        }
        if (tail != null) {
            tail.close();
        }
    }

    /** A task that logs its failure instead of ending a periodic schedule or vanishing into a future. */
    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("presence task failed", e);
            }
        };
    }

    /** Threads that wait on the topology for visibility, apart from the gateway's workers. */
    private static ExecutorService lookupPool(String name) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        ThreadPoolExecutor e = new ThreadPoolExecutor(LOOKUP_THREADS, LOOKUP_THREADS, 1, TimeUnit.MINUTES,
                new ArrayBlockingQueue<>(LOOKUP_QUEUE), r -> {
                    Thread t = new Thread(r, name + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        e.allowCoreThreadTimeOut(true);
        return e;
    }

    private static ScheduledExecutorService thread(String name) {
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        e.setRemoveOnCancelPolicy(true);
        e.setRejectedExecutionHandler(new ThreadPoolExecutor.DiscardPolicy()); // after close: nothing left to tell
        return e;
    }
}
