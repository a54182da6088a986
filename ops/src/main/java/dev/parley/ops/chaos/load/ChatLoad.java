package dev.parley.ops.chaos.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.ops.chaos.check.ClientHistory;
import dev.parley.ops.chaos.check.ConnectionLog;
import dev.parley.ops.chaos.check.Grant;
import dev.parley.ops.chaos.check.Histories;
import dev.parley.ops.chaos.check.LoggedEvent;
import dev.parley.ops.chaos.check.SentMessage;
import dev.parley.ops.chaos.report.TimedSend;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * The chaos run's load, W1-like: one client application per user (through {@link ChatClient}, spread over the
 * gateways by the {@link GatewayBalancer}), sends at a fixed rate in an open loop over every channel from a random
 * member, private channels gaining members while it runs, and protocol probes ({@link ProbeClient}) following their
 * users' channels raw. A sender has at most one send per channel in flight (the next one waits, its latency counted
 * from its slot): so its sends to a channel must land in its order, which the checker verifies.
 */
public final class ChatLoad implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CALL_RETRY = Duration.ofSeconds(1);

    private final Population population;
    private final ChatClient.Factory factory;
    private final GatewayBalancer balancer;
    private final WebSocketClient probeSockets;
    private final Function<String, String> tokens;
    private final double rate;
    private final Random random;
    private final Consumer<String> say;
    private final Map<String, ClientRecorder> clients = new LinkedHashMap<>();
    private final List<ProbeClient> probes = new ArrayList<>();
    private final List<Grant> grants = Collections.synchronizedList(new ArrayList<>());
    private final List<Send> sends = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, List<String>> senders = new ConcurrentHashMap<>();
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final Map<String, Long> orders = new HashMap<>();
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "chaos-load-timer");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean running;
    private volatile long startNanos;
    private volatile long endNanos;
    private Thread pacer;

    /** The sends of one sender to one channel: one in flight, the others waiting in order. */
    private static final class Lane {
        final Deque<Send> waiting = new ArrayDeque<>();
        boolean busy;
    }

    /**
     * @param tokens a bearer token for a user (the probes'; the clients get theirs from the factory)
     */
    public ChatLoad(Population population, ChatClient.Factory factory, GatewayBalancer balancer, WebSocketClient probeSockets,
                    Function<String, String> tokens, double rate, long seed, Consumer<String> say) {
        this.population = population;
        this.factory = factory;
        this.balancer = balancer;
        this.probeSockets = probeSockets;
        this.tokens = tokens;
        this.rate = rate;
        this.random = new Random(seed);
        this.say = say;
    }

    /**
     * Connects every user's client, creates the channels and adds their members (through the owners' clients, retried
     * with the same requestId), waits until every client follows its channels, then starts the probes.
     */
    public void setUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<CompletableFuture<JsonNode>> welcomes = new ArrayList<>();
        List<ClientRecorder> opened = new ArrayList<>();
        for (int i = 0; i < population.users().size(); i++) {
            String user = population.users().get(i);
            ClientRecorder r = new ClientRecorder(user + "/app", user, factory.open(user, "app", balancer.url(i % balancer.size())));
            clients.put(user, r);
            opened.add(r);
            welcomes.add(r.client().start());
        }
        for (int i = 0; i < welcomes.size(); i++) {
            opened.get(i).welcomed(await(welcomes.get(i), deadline, "the welcome of " + opened.get(i).name()));
        }
        List<CompletableFuture<JsonNode>> created = new ArrayList<>();
        for (Population.ChannelPlan c : population.channels()) {
            grants.add(new Grant(c.id(), c.owner(), System.nanoTime()));
            created.add(callUntilOk(clients.get(c.owner()), JSON.createObjectNode().put("type", "create_channel")
                    .put("channel", c.id()).put("private", c.isPrivate()).put("requestId", "setup-create-" + c.id()), deadline));
        }
        for (CompletableFuture<JsonNode> f : created) {
            await(f, deadline, "creating the channels");
        }
        List<CompletableFuture<JsonNode>> added = new ArrayList<>();
        for (Population.ChannelPlan c : population.channels()) {
            for (String m : c.members().subList(1, c.members().size())) {
                grants.add(new Grant(c.id(), m, System.nanoTime()));
                added.add(callUntilOk(clients.get(c.owner()), addMember(c.id(), m, "setup-add-"), deadline));
            }
            senders.put(c.id(), new CopyOnWriteArrayList<>(c.members()));
        }
        for (CompletableFuture<JsonNode> f : added) {
            await(f, deadline, "adding the members");
        }
        for (ClientRecorder r : clients.values()) {
            for (String c : population.channelsOf(r.user())) {
                while (r.lastSeq(c) == null) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(r.name() + " does not follow " + c + " after the set-up");
                    }
                    Thread.sleep(100);
                }
            }
        }
        for (int i = 0; i < population.probes().size(); i++) {
            String user = population.probes().get(i);
            Set<String> curious = population.channels().stream()
                    .filter(c -> c.isPrivate() && !c.members().contains(user)).map(Population.ChannelPlan::id).limit(1)
                    .collect(java.util.stream.Collectors.toSet());
            // probes alternate over the gateways (whatever their users' apps use), so a gateway kill always drops some
            ProbeClient p = new ProbeClient(user, balancer.url(i % balancer.size()), probeSockets, timer,
                    () -> tokens.apply(user), population.channelsOf(user), curious);
            probes.add(p);
            p.start();
        }
        for (ProbeClient p : probes) {
            while (!p.online()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(p.name() + " is not online after the set-up");
                }
                Thread.sleep(100);
            }
        }
    }

    /** Starts the open-loop sends and schedules the late joins over {@code planned} (the expected length of the run). */
    public void start(Duration planned) {
        running = true;
        startNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        pacer = new Thread(this::pace, "chaos-load-pacer");
        pacer.setDaemon(true);
        pacer.start();
        for (Population.LateJoin j : population.lateJoins()) {
            long delay = (long) (planned.toMillis() * j.at());
            timer.schedule(() -> lateJoin(j), delay, TimeUnit.MILLISECONDS);
        }
    }

    private void pace() {
        double intervalNanos = 1e9 / rate;
        List<String> channels = population.channels().stream().map(Population.ChannelPlan::id).toList();
        for (long i = 0; running; i++) {
            long due = startNanos + (long) (i * intervalNanos);
            long now;
            while ((now = System.nanoTime()) < due) {
                LockSupport.parkNanos(Math.min(due - now, 1_000_000));
            }
            if (!running) {
                break;
            }
            String channel = channels.get(random.nextInt(channels.size()));
            List<String> members = senders.get(channel);
            String user = members.get(random.nextInt(members.size()));
            long order = orders.merge(user, 1L, Long::sum);
            Send s = new Send(clients.get(user), channel, user + "-" + order, order, due);
            sends.add(s);
            offer(s);
        }
    }

    private void offer(Send s) {
        Lane lane = lanes.computeIfAbsent(s.sender.user() + "\u0000" + s.channel, k -> new Lane());
        synchronized (lane) {
            if (lane.busy) {
                lane.waiting.add(s);
                return;
            }
            lane.busy = true;
        }
        dispatch(s, lane);
    }

    private void dispatch(Send s, Lane lane) {
        s.dispatched();
        s.sender.client().send(s.channel, "chaos " + s.key, s.key).whenComplete((ack, err) -> {
            if (err == null) {
                s.acked(ack, System.nanoTime());
            } else {
                s.refused(RequestFailed.codeOf(err));
            }
            Send next;
            synchronized (lane) {
                next = lane.waiting.poll();
                lane.busy = next != null;
            }
            if (next != null) {
                dispatch(next, lane);
            }
        });
    }

    private void lateJoin(Population.LateJoin j) {
        String owner = population.channels().stream().filter(c -> c.id().equals(j.channel())).findFirst().orElseThrow().owner();
        grants.add(new Grant(j.channel(), j.user(), System.nanoTime()));
        say.accept("adding " + j.user() + " to " + j.channel());
        callUntilOk(clients.get(owner), addMember(j.channel(), j.user(), "late-add-"), System.nanoTime() + TimeUnit.MINUTES.toNanos(10))
                .whenComplete((ok, err) -> {
                    if (err == null) {
                        senders.get(j.channel()).add(j.user());
                    } else {
                        say.accept("adding " + j.user() + " to " + j.channel() + " failed: " + err.getMessage());
                    }
                });
    }

    /**
     * Says every {@code every} how the load goes: sends offered and acked so far, the acks of the last interval with
     * their slowest send->ack, and how many sends are in flight or waiting behind one.
     */
    public void progress(Duration every) {
        long[] last = {System.nanoTime()};
        timer.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            long offered;
            long acked = 0;
            long recent = 0;
            long slowest = 0;
            long open = 0;
            synchronized (sends) {
                offered = sends.size();
                for (Send s : sends) {
                    TimedSend t = s.timing();
                    if (t.acked()) {
                        acked++;
                        if (t.ackedNanos() > last[0]) {
                            recent++;
                            slowest = Math.max(slowest, t.latencyNanos());
                        }
                    } else if (s.refusal() == null) {
                        open++;
                    }
                }
            }
            say.accept(String.format(java.util.Locale.ROOT, "load: %,d offered, %,d acked (%.0f/s in the last %d s, slowest %.1f s),"
                            + " %,d unanswered or waiting, %d of %d clients online", offered, acked,
                    recent * 1e9 / (now - last[0]), every.toSeconds(), slowest / 1e9, open,
                    clients.values().stream().filter(r -> r.client().online()).count(), clients.size()));
            last[0] = now;
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops offering new sends. */
    public void stop() {
        running = false;
        endNanos = System.nanoTime();
        if (pacer != null) {
            try {
                pacer.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits until every send offered is acked or refused, at most {@code timeout}; returns how many are not. */
    public long drain(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long open;
        while ((open = unsettled()) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        return open;
    }

    /**
     * Waits until the sends in flight or waiting are down to {@code most} (the load keeps up again after a fault),
     * at most {@code timeout}; returns how many there are.
     */
    public long awaitBacklog(long most, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long open;
        while ((open = unsettled()) > most && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        return open;
    }

    private long unsettled() {
        synchronized (sends) {
            return sends.stream().filter(s -> !s.settled()).count();
        }
    }

    /**
     * Waits until every client and probe that is online holds its channels up to {@code heads} (the log's), at most
     * {@code timeout}; returns the clients that do not.
     */
    public List<String> awaitDelivered(Map<String, Long> heads, Map<String, List<String>> channelsOf, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> behind = new ArrayList<>();
            for (ClientRecorder r : clients.values()) {
                for (String c : channelsOf.getOrDefault(r.user(), List.of())) {
                    Long have = r.lastSeq(c);
                    if (r.client().online() && (have == null || have < heads.getOrDefault(c, 0L))) {
                        behind.add(r.name() + " " + c + " " + have + "/" + heads.get(c));
                    }
                }
            }
            for (ProbeClient p : probes) {
                Map<String, Long> cursors = p.cursors();
                String user = p.name().substring(0, p.name().indexOf('/'));
                for (String c : channelsOf.getOrDefault(user, List.of())) {
                    Long have = cursors.get(c);
                    if (p.online() && (have == null || have < heads.getOrDefault(c, 0L))) {
                        behind.add(p.name() + " " + c + " " + have + "/" + heads.get(c));
                    }
                }
            }
            if (behind.isEmpty() || System.nanoTime() > deadline) {
                return behind;
            }
            Thread.sleep(250);
        }
    }

    /** Clients and probes that are not connected right now. */
    public List<String> offline() {
        List<String> out = new ArrayList<>();
        clients.values().stream().filter(r -> !r.client().online()).forEach(r -> out.add(r.name()));
        probes.stream().filter(p -> !p.online()).forEach(p -> out.add(p.name()));
        return out;
    }

    /** Everything the checker needs, with the log read after the load. Call before {@link #close()}. */
    public Histories histories(List<LoggedEvent> log, Map<String, List<String>> channelsOf) {
        List<SentMessage> messages;
        synchronized (sends) {
            messages = sends.stream().map(Send::message).toList();
        }
        List<ClientHistory> histories = new ArrayList<>();
        clients.values().forEach(r -> histories.add(r.history(channelsOf.getOrDefault(r.user(), List.of()))));
        List<ConnectionLog> connections = new ArrayList<>();
        for (ProbeClient p : probes) {
            histories.add(p.history());
            connections.addAll(p.connections());
        }
        return new Histories(log, messages, histories, connections, grants);
    }

    /** One CSV line per send (and a header): when it was due and acked (ms since the load started), who, where, how it ended. */
    public List<String> csv() {
        List<String> out = new ArrayList<>();
        out.add("due_ms,acked_ms,latency_ms,sender,channel,client_msg_id,seq,outcome,retried,duplicate");
        synchronized (sends) {
            for (Send s : sends) {
                TimedSend t = s.timing();
                SentMessage m = s.message();
                out.add(String.format(java.util.Locale.ROOT, "%d,%d,%d,%s,%s,%s,%d,%s,%b,%b", (t.intendedNanos() - startNanos) / 1_000_000,
                        t.acked() ? (t.ackedNanos() - startNanos) / 1_000_000 : -1, t.acked() ? t.latencyNanos() / 1_000_000 : -1,
                        m.sender(), m.channel(), m.clientMsgId(), m.ackedSeq(),
                        m.outcome() == SentMessage.Outcome.REFUSED ? "refused:" + s.refusal() : m.outcome().name().toLowerCase(java.util.Locale.ROOT),
                        m.retried(), s.isDuplicate()));
            }
        }
        return out;
    }

    public List<TimedSend> timings() {
        synchronized (sends) {
            return sends.stream().map(Send::timing).toList();
        }
    }

    /** Offered, acked, refused (by code), unsettled, retried and acked-as-duplicate sends. */
    public Counts counts() {
        synchronized (sends) {
            Map<String, Long> refusals = new java.util.TreeMap<>();
            long acked = 0;
            long retried = 0;
            long duplicates = 0;
            long open = 0;
            for (Send s : sends) {
                if (s.isAcked()) {
                    acked++;
                } else if (s.refusal() != null) {
                    refusals.merge(s.refusal(), 1L, Long::sum);
                } else {
                    open++;
                }
                retried += s.retried() ? 1 : 0;
                duplicates += s.isDuplicate() ? 1 : 0;
            }
            return new Counts(sends.size(), acked, refusals, open, retried, duplicates, probes.stream()
                    .mapToLong(p -> p.connections().size()).sum(), clients.values().stream().mapToLong(ClientRecorder::drops).sum());
        }
    }

    /**
     * @param probeConnections connections the probes opened
     * @param clientDrops      times a client's connection dropped
     */
    public record Counts(long offered, long acked, Map<String, Long> refused, long unsettled, long retried, long duplicates,
                         long probeConnections, long clientDrops) {
        public long refusedTotal() {
            return refused.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    public long startNanos() {
        return startNanos;
    }

    public long endNanos() {
        return endNanos;
    }

    private static ObjectNode addMember(String channel, String user, String prefix) {
        return JSON.createObjectNode().put("type", "add_member").put("channel", channel).put("user", user)
                .put("requestId", prefix + channel + "-" + user);
    }

    /** Calls until {@code ok} (same requestId each time), retrying transient failures every second. */
    private CompletableFuture<JsonNode> callUntilOk(ClientRecorder r, ObjectNode frame, long deadlineNanos) {
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        attempt(r, frame, deadlineNanos, result);
        return result;
    }

    private void attempt(ClientRecorder r, ObjectNode frame, long deadlineNanos, CompletableFuture<JsonNode> result) {
        r.client().call(frame.deepCopy()).whenComplete((ok, err) -> {
            if (err == null) {
                result.complete(ok);
            } else if (RequestFailed.isRetryable(err) && System.nanoTime() < deadlineNanos) {
                timer.schedule(() -> attempt(r, frame, deadlineNanos, result), CALL_RETRY.toMillis(), TimeUnit.MILLISECONDS);
            } else {
                result.completeExceptionally(err);
            }
        });
    }

    private static JsonNode await(CompletableFuture<JsonNode> f, long deadlineNanos, String what) throws InterruptedException {
        try {
            return f.get(Math.max(1, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(what + " did not finish in time");
        }
    }

    @Override
    public void close() {
        running = false;
        probes.forEach(ProbeClient::close);
        clients.values().forEach(r -> {
            try {
                r.client().close();
            } catch (RuntimeException e) {
                // closing anyway
            }
        });
        timer.shutdownNow();
    }
}
