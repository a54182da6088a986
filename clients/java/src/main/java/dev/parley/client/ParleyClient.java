package dev.parley.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * A client of Parley's WebSocket protocol (docs/protocol.md; docs/contracts/asyncapi.yaml) that does the client's
 * part of every guarantee: a token from the {@link TokenSupplier} before every connect (a fresh one after 4002),
 * reconnects with exponential backoff and full jitter, resume from its own per-channel cursors, an outbox that
 * re-sends unacknowledged sends with the same clientMsgId across reconnects and restarts (both in the
 * {@link ClientStorage}), each channel's events handed over strictly by seq with gaps filled by {@code events}
 * pages, and typed errors ({@link ParleyException}) that honour {@code retryAfterMs}.
 *
 * <p>All state is touched by one task at a time, in order (the client's own thread, or its turn on the threads of a
 * shared {@link ClientResources}, or the WebSocket client's I/O thread that read a frame); listeners are called there
 * (do not block them). Many clients in one JVM share one
 * {@link ClientResources}: no thread per client.
 */
public final class ParleyClient implements AutoCloseable {

    /** Settings; {@code url} is the gateway's {@code ws://host:port/ws}. */
    /**
     * Settings; {@code url} is the gateway's {@code ws://host:port/ws}; {@code resources} the WebSocket client and
     * threads shared with other clients, or null for the client's own.
     */
    public record Config(URI url, String device, TokenSupplier tokens, ClientStorage storage, Duration backoffBase,
                         Duration backoffMax, Duration requestTimeout, ClientResources resources) {
        public static Config of(URI url, String device, TokenSupplier tokens) {
            return new Config(url, device, tokens, ClientStorage.memory(), Duration.ofMillis(250), Duration.ofSeconds(30),
                    Duration.ofSeconds(30), null);
        }

        public Config withStorage(ClientStorage s) {
            return new Config(url, device, tokens, s, backoffBase, backoffMax, requestTimeout, resources);
        }

        public Config withBackoff(Duration base, Duration max) {
            return new Config(url, device, tokens, storage, base, max, requestTimeout, resources);
        }

        /** Runs on shared resources (closed by their owner, not by the client). */
        public Config withResources(ClientResources shared) {
            return new Config(url, device, tokens, storage, backoffBase, backoffMax, requestTimeout, shared);
        }
    }

    /**
     * A frame handed over with the time it was received: {@link System#nanoTime()} when its text came off the socket,
     * before it waited for the client's turn or was held behind a gap. For latency measurements (send->deliver,
     * send->ack) that must not count the client's own queueing after the network.
     */
    @FunctionalInterface
    public interface ReceivedListener {
        void on(JsonNode frame, long receivedNanos);
    }

    /** Connection states. */
    public enum State { CONNECTING, ONLINE, OFFLINE, SIGNED_OUT, CLOSED }

    private static final System.Logger LOG = System.getLogger(ParleyClient.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CURSOR = "cursor/";
    private static final int REQUEST_RETRIES = 5;
    private static final String OUTBOX = "outbox/";

    private final Config config;
    private final ClientResources resources;
    private final boolean ownsResources;
    private final SerialExecutor loop;
    private final Backoff reconnects;
    private final Backoff sendRetries;
    private final Map<String, ChannelStream> streams = new LinkedHashMap<>();
    private final Map<String, ObjectNode> outbox = new LinkedHashMap<>();
    private final Map<String, CompletableFuture<JsonNode>> waiting = new HashMap<>();
    private final Map<String, CompletableFuture<JsonNode>> pending = new HashMap<>();
    private final Set<String> inflight = new HashSet<>();
    private final List<ReceivedListener> eventListeners = new ArrayList<>();
    private final List<ReceivedListener> ackListeners = new ArrayList<>();
    private final List<Consumer<State>> stateListeners = new ArrayList<>();
    private final List<Consumer<ParleyException>> errorListeners = new ArrayList<>();
    private final CompletableFuture<JsonNode> firstWelcome = new CompletableFuture<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile State state = State.CONNECTING;
    private volatile String user;
    private Session session;
    private int generation;
    private boolean welcomed;
    private boolean stopped;
    private TokenSupplier.Reason tokenReason = TokenSupplier.Reason.CONNECT;
    private String lastToken;
    private long pausedUntil;
    private long order;
    private ScheduledFuture<?> welcomeTimer;
    /**
     * Requests' deadlines, oldest first: every request has the same timeout, so the order sent is the order due, and
     * one timer per client (at the oldest deadline) replaces a timer per request; answered ones are skipped when due.
     */
    private final ArrayDeque<Deadline> deadlines = new ArrayDeque<>();
    private ScheduledFuture<?> deadlineTimer;
    /** A fault-injection hook for tests: incoming frames it matches are dropped, as if lost on the wire. */
    private volatile java.util.function.Predicate<String> dropIncoming = t -> false;

    public ParleyClient(Config config) {
        this.config = config;
        this.ownsResources = config.resources() == null;
        this.resources = ownsResources ? ClientResources.single("parley-client-" + config.device()) : config.resources();
        this.loop = new SerialExecutor(resources.loops());
        this.reconnects = new Backoff(config.backoffBase(), config.backoffMax(), () -> ThreadLocalRandom.current().nextDouble());
        this.sendRetries = new Backoff(config.backoffBase(), config.backoffMax(), () -> ThreadLocalRandom.current().nextDouble());
    }

    // ---------------------------------------------------------------- lifecycle

    /** Loads cursors and outbox from the storage and connects; completes with the first welcome. */
    public CompletableFuture<JsonNode> start() {
        loop.execute(() -> {
            for (String key : config.storage().keys(CURSOR)) {
                config.storage().get(key).ifPresent(v -> stream(key.substring(CURSOR.length())).startAt(v.asLong()));
            }
            for (String key : config.storage().keys(OUTBOX)) {
                config.storage().get(key).ifPresent(v -> {
                    outbox.put(v.path("clientMsgId").asText(), (ObjectNode) v);
                    order = Math.max(order, v.path("order").asLong() + 1);
                });
            }
            sortOutbox();
            connect();
        });
        return firstWelcome;
    }

    /** Closes the connection; unacknowledged sends stay in the storage for the next client. Closing again does nothing. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            stopped = true;
            setState(State.CLOSED);
            if (session != null) {
                session.close(1000, "client closed", Callback.NOOP);
            }
            failPending("closed", "the client was closed");
            waiting.values().forEach(f -> f.completeExceptionally(new ParleyException("closed", "the send stays in the outbox", null)));
            waiting.clear();
            firstWelcome.completeExceptionally(new ParleyException("closed", "the client was closed before its first welcome", null));
            done.complete(null);
        });
        done.orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
        if (ownsResources) {
            resources.close();
        }
    }

    public State state() {
        return state;
    }

    /** The signed-in user (from the welcome), or null before it. */
    public String user() {
        return user;
    }

    /** Every channel's events, per channel strictly by seq, no gap, no repeat. Add listeners before {@link #start}. */
    public void onEvent(Consumer<JsonNode> listener) {
        eventListeners.add((e, at) -> listener.accept(e));
    }

    /** {@link #onEvent(Consumer)} with the time each event's frame was received (also for events held behind a gap). */
    public void onEventReceived(ReceivedListener listener) {
        eventListeners.add(listener);
    }

    /**
     * Each send of this client acknowledged, once, with the time the acknowledgement was received: the {@code ack}
     * frame, or an ack built from the committed event when that overtook it (then with the event's time).
     * Add listeners before {@link #start}.
     */
    public void onAckReceived(ReceivedListener listener) {
        ackListeners.add(listener);
    }

    public void onState(Consumer<State> listener) {
        stateListeners.add(listener);
    }

    /** Error frames that answer no request of this client. */
    public void onError(Consumer<ParleyException> listener) {
        errorListeners.add(listener);
    }

    /** The resume point of a channel: the last seq handed over in order, or null. */
    public Long cursor(String channel) {
        return onLoop(() -> streams.containsKey(channel) ? streams.get(channel).cursor() : null);
    }

    /** clientMsgIds not acknowledged yet, oldest first. */
    public List<String> pendingSends() {
        return onLoop(() -> List.copyOf(outbox.keySet()));
    }

    /** Tests only: drop incoming frames that match (a fault-injecting decorator of the real transport). */
    void dropIncoming(java.util.function.Predicate<String> drop) {
        this.dropIncoming = drop;
    }

    // ---------------------------------------------------------------- connection

    private void setState(State s) {
        state = s;
        stateListeners.forEach(l -> l.accept(s));
    }

    private void connect() {
        if (stopped) {
            return;
        }
        setState(State.CONNECTING);
        String token;
        try {
            token = config.tokens().token(tokenReason);
        } catch (Exception e) {
            retryLater(0);
            return;
        }
        if (token == null || (tokenReason == TokenSupplier.Reason.REFUSED && token.equals(lastToken))) {
            stopped = true;
            setState(State.SIGNED_OUT);
            failPending("unauthorized", "the token was refused and no other one was given");
            firstWelcome.completeExceptionally(new ParleyException("unauthorized", "token refused", null));
            return;
        }
        lastToken = token;
        int gen = ++generation;
        welcomed = false;
        Endpoint endpoint = new Endpoint(gen, token);
        welcomeTimer = loop.schedule(() -> dropped(gen, 4000), 20, TimeUnit.SECONDS);
        try {
            resources.webSocketClient().connect(endpoint, config.url()).whenComplete((s, e) -> {
                if (e != null) {
                    loop.execute(() -> dropped(gen, 1006));
                }
            });
        } catch (Exception e) {
            // not a network failure (those complete the future): a bad URL or endpoint; say so, and keep trying
            LOG.log(System.Logger.Level.WARNING, "cannot connect to " + config.url(), e);
            dropped(gen, 1006);
        }
    }

    private void dropped(int gen, int code) {
        if (gen != generation || stopped) {
            return;
        }
        generation++;
        if (welcomeTimer != null) {
            welcomeTimer.cancel(false);
        }
        if (session != null) {
            session.disconnect();
            session = null;
        }
        failPending("disconnected", "the connection dropped");
        inflight.clear();
        if (code == 4003) {
            tokenReason = TokenSupplier.Reason.REFUSED;
        } else if (code == 4002) {
            tokenReason = TokenSupplier.Reason.EXPIRED;
        }
        if (code == 4002 || code == 4008 || code == 1001) {
            reconnects.reset();
        }
        retryLater(0);
    }

    private void retryLater(long floorMs) {
        setState(State.OFFLINE);
        loop.schedule(this::connect, reconnects.nextMillis(floorMs), TimeUnit.MILLISECONDS);
    }

    /**
     * Jetty's callbacks, run in the client's turn on the I/O thread that read them when no turn is under way
     * ({@link SerialExecutor#executeHere}), else queued behind it. Public only because Jetty's WebSocket client binds these
     * methods with a public method-handle lookup: a private class makes every connect fail.
     */
    public final class Endpoint implements Session.Listener.AutoDemanding {
        private final int gen;
        private final String token;

        private Endpoint(int gen, String token) {
            this.gen = gen;
            this.token = token;
        }

        @Override
        public void onWebSocketOpen(Session s) {
            loop.executeHere(() -> {
                if (gen != generation) {
                    s.disconnect();
                    return;
                }
                session = s;
                ObjectNode hello = JSON.createObjectNode().put("type", "hello").put("token", token).put("device", config.device())
                        .put("batch", true); // live events may come in events frames: unpacked below
                ObjectNode resume = hello.putObject("resume");
                streams.values().forEach(st -> {
                    if (st.cursor() != null) {
                        resume.put(st.channel(), st.cursor());
                    }
                });
                s.sendText(hello.toString(), Callback.NOOP);
            });
        }

        @Override
        public void onWebSocketText(String text) {
            long received = System.nanoTime();
            if (dropIncoming.test(text)) {
                return;
            }
            loop.executeHere(() -> {
                if (gen == generation) {
                    onFrame(text, received);
                }
            });
        }

        @Override
        public void onWebSocketClose(int code, String reason) {
            loop.executeHere(() -> dropped(gen, code));
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            loop.executeHere(() -> dropped(gen, 1006));
        }
    }

    // ---------------------------------------------------------------- frames

    private void onFrame(String text, long received) {
        JsonNode f;
        try {
            f = JSON.readTree(text);
        } catch (Exception e) {
            return;
        }
        String type = f.path("type").asText();
        if (!welcomed) {
            if (type.equals("welcome")) {
                onWelcome(f);
                return;
            }
            if (type.equals("error") && f.path("code").asText().equals("unauthorized")) {
                tokenReason = TokenSupplier.Reason.REFUSED;
            } else if (type.equals("error") && f.path("code").asText().equals("token_expired")) {
                tokenReason = TokenSupplier.Reason.EXPIRED;
            }
        }
        if (type.equals("ack")) {
            settleSend(f.path("clientMsgId").asText(), f, received);
        }
        if (!type.equals("event") && settle(f)) {
            return;
        }
        switch (type) {
            case "event" -> {
                ChannelStream s = stream(f.path("channel").asText());
                s.offer(f, received);
                if (s.needsFill()) {
                    fill(s, 0);
                }
            }
            case "events" -> {
                // a live batch (a reply to an events request carries a requestId and was settled above)
                if (f.path("live").asBoolean()) {
                    ChannelStream s = stream(f.path("channel").asText());
                    for (JsonNode e : f.path("events")) {
                        s.offer(e, received); // every event of the batch came off the socket with it
                    }
                    if (s.needsFill()) {
                        fill(s, 0);
                    }
                }
            }
            case "head" -> {
                // a channel in pull mode (a large one) has events up to seq: pull them into the stream
                ChannelStream s = stream(f.path("channel").asText());
                if (s.cursor() == null || s.cursor() < f.path("seq").asLong()) {
                    fill(s, f.path("seq").asLong(), false);
                }
            }
            case "behind" -> fill(stream(f.path("channel").asText()), f.path("head").asLong());
            case "error" -> onError(f);
            default -> {
                // caught_up, pong, resync (a close follows), frames of newer gateways
            }
        }
    }

    private void onWelcome(JsonNode w) {
        welcomed = true;
        welcomeTimer.cancel(false);
        reconnects.reset();
        tokenReason = TokenSupplier.Reason.CONNECT;
        user = w.path("user").asText();
        w.path("channels").forEach(this::knowChannel);
        streams.values().forEach(ChannelStream::reset);
        setState(State.ONLINE);
        firstWelcome.complete(w);
        flushOutbox();
        if (w.path("more").asBoolean() && w.hasNonNull("next")) {
            pageChannels(w.path("next").asText());
        }
    }

    /**
     * A channel of mine as the welcome or a channels page lists it: not resumed, it is followed from its head (older
     * events are history), and that cursor is kept so that a reconnect resumes it.
     */
    private void knowChannel(JsonNode c) {
        ChannelStream s = stream(c.path("channel").asText());
        if (s.cursor() == null) {
            s.startAt(c.path("head").asLong());
            saveCursor(s);
        }
    }

    /** Welcome paging: the channels the welcome did not list, page by page after {@code after}. */
    private void pageChannels(String after) {
        request(JSON.createObjectNode().put("type", "channels").put("after", after)).whenCompleteAsync((page, err) -> {
            if (err != null) {
                return; // the next welcome lists them again
            }
            JsonNode list = page.path("channels");
            list.forEach(this::knowChannel);
            if (page.path("more").asBoolean() && !list.isEmpty()) {
                pageChannels(list.get(list.size() - 1).path("channel").asText());
            }
        }, loop);
    }

    private void onError(JsonNode f) {
        ParleyException e = ParleyException.of(f.path("code").asText(), f.path("message").asText(), f.path("retryAfterMs").asLong(0));
        if (f.has("clientMsgId")) {
            return; // an answer to a send of an earlier connection: the outbox re-sends it anyway
        }
        if (e.code().equals("not_a_member") && f.has("channel") && !f.has("requestId")) {
            String ch = f.path("channel").asText();
            streams.remove(ch); // a resume point of a channel I am not in
            config.storage().delete(CURSOR + ch);
        }
        if (e.code().equals("resume_ahead") && f.has("channel") && f.has("head")) {
            // my cursor was beyond the channel's head (the server's history is shorter): follow it from its head
            ChannelStream s = stream(f.path("channel").asText());
            s.reset();
            s.startAt(f.path("head").asLong());
            saveCursor(s);
        }
        errorListeners.forEach(l -> l.accept(e));
    }

    private ChannelStream stream(String channel) {
        ChannelStream s = streams.get(channel); // per event: no lambda unless the channel is new
        return s != null ? s : streams.computeIfAbsent(channel, ch -> new ChannelStream(ch, null, (e, at) -> deliver(ch, e, at)));
    }

    private void deliver(String channel, JsonNode e, long received) {
        saveCursor(streams.get(channel));
        String id = e.path("clientMsgId").asText(null);
        if (e.path("kind").asText().equals("message") && id != null && e.path("user").asText().equals(user) && outbox.containsKey(id)) {
            ObjectNode ack = JSON.createObjectNode().put("type", "ack").put("clientMsgId", id).put("channel", channel)
                    .put("seq", e.path("seq").asLong()).put("messageId", e.path("messageId").asText());
            settleSend(id, ack, received); // the committed event may overtake its ack
        }
        for (ReceivedListener l : eventListeners) {
            l.on(e, received);
        }
    }

    private void saveCursor(ChannelStream s) {
        if (s != null && s.cursor() != null) {
            config.storage().put(CURSOR + s.channel(), JSON.getNodeFactory().numberNode(s.cursor()));
        }
    }

    /** Pages with {@code events after cursor} until the held events connect (or up to {@code head} after behind). */
    private void fill(ChannelStream s, long head) {
        fill(s, head, true);
    }

    /** @param resubscribe after {@code behind}: ask for live delivery again once up to {@code head} (not in pull mode) */
    private void fill(ChannelStream s, long head, boolean resubscribe) {
        s.fillStarted();
        ObjectNode req = JSON.createObjectNode().put("type", "events").put("channel", s.channel())
                .put("after", s.cursor() == null ? 0 : s.cursor()).put("limit", 1000);
        request(req).whenCompleteAsync((page, err) -> {
            if (err != null) {
                s.fillFailed();
                return;
            }
            if (s.fillFrom(page.path("events"), page.path("more").asBoolean(), head)) {
                fill(s, head, resubscribe);
            } else if (head > 0 && resubscribe) {
                send(JSON.createObjectNode().put("type", "subscribe").put("channel", s.channel()).put("after", s.cursor()));
            }
        }, loop);
    }

    private boolean send(JsonNode frame) {
        if (session == null || !welcomed) {
            return false;
        }
        session.sendText(frame.toString(), Callback.NOOP);
        return true;
    }

    private boolean settle(JsonNode f) {
        for (String idField : List.of("requestId", "clientMsgId")) {
            if (f.has(idField)) {
                String key = idField + ":" + f.path(idField).asText();
                CompletableFuture<JsonNode> p = pending.remove(key);
                if (p != null) {
                    if (f.path("type").asText().equals("error")) {
                        p.completeExceptionally(ParleyException.of(f.path("code").asText(), f.path("message").asText(),
                                f.path("retryAfterMs").asLong(0)));
                    } else {
                        p.complete(f);
                    }
                    return true;
                }
            }
        }
        return false;
    }

    private CompletableFuture<JsonNode> request(ObjectNode frame, String idField) {
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        String key = idField + ":" + frame.path(idField).asText();
        if (!send(frame)) {
            f.completeExceptionally(new ParleyException("disconnected", "offline", null));
            return f;
        }
        pending.put(key, f);
        deadlines.add(new Deadline(key, f, System.nanoTime() + config.requestTimeout().toNanos()));
        if (deadlineTimer == null) {
            armDeadlineTimer();
        }
        return f;
    }

    private record Deadline(String key, CompletableFuture<JsonNode> request, long dueNanos) {
    }

    private void armDeadlineTimer() {
        Deadline first = deadlines.peek();
        deadlineTimer = first == null ? null
                : loop.schedule(this::expireRequests, Math.max(0, first.dueNanos() - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** Fails the requests that got no answer in time (an answered one is no longer pending under its key). */
    private void expireRequests() {
        long now = System.nanoTime();
        for (Deadline d = deadlines.peek(); d != null && d.dueNanos() <= now; d = deadlines.peek()) {
            deadlines.poll();
            if (pending.remove(d.key(), d.request())) {
                d.request().completeExceptionally(new ParleyException("request_timeout", "no answer in time", null));
            }
        }
        armDeadlineTimer();
    }

    private CompletableFuture<JsonNode> request(ObjectNode frame) {
        if (!frame.has("requestId")) {
            frame.put("requestId", "r-" + UUID.randomUUID());
        }
        return requestRetrying(frame, 0);
    }

    /**
     * A request refused with {@code rate_limited} or {@code overloaded} was not carried out: it is sent again, with the
     * same requestId, after the server's retryAfterMs plus up to as much jitter, at most {@value #REQUEST_RETRIES} times.
     * On the client's thread.
     */
    private CompletableFuture<JsonNode> requestRetrying(ObjectNode frame, int attempt) {
        CompletableFuture<JsonNode> out = new CompletableFuture<>();
        request(frame, "requestId").whenComplete((reply, error) -> {
            if (error == null) {
                out.complete(reply);
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            long waitMs = cause instanceof ParleyException p && (p.code().equals("rate_limited") || p.code().equals("overloaded"))
                    ? p.retryAfter().map(Duration::toMillis).orElse(0L) : 0;
            if (waitMs <= 0 || attempt >= REQUEST_RETRIES || stopped) {
                out.completeExceptionally(cause);
                return;
            }
            loop.schedule(() -> requestRetrying(frame, attempt + 1).whenComplete((r, e) -> {
                if (e == null) {
                    out.complete(r);
                } else {
                    out.completeExceptionally(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
                }
            }), waitMs + ThreadLocalRandom.current().nextLong(waitMs + 1), TimeUnit.MILLISECONDS);
        });
        return out;
    }

    private void failPending(String code, String message) {
        List<CompletableFuture<JsonNode>> all = new ArrayList<>(pending.values());
        pending.clear();
        deadlines.clear();
        all.forEach(p -> p.completeExceptionally(new ParleyException(code, message, null)));
    }

    // ---------------------------------------------------------------- public requests

    /**
     * Sends any frame with a requestId (added when missing); completes with its reply, or a {@link ParleyException}.
     * A command may be sent again with the same requestId: it never applies twice.
     */
    public CompletableFuture<JsonNode> call(ObjectNode frame) {
        return supply(() -> request(frame.deepCopy()));
    }

    public CompletableFuture<JsonNode> createChannel(String channel, boolean isPrivate) {
        return call(JSON.createObjectNode().put("type", "create_channel").put("channel", channel).put("private", isPrivate));
    }

    public CompletableFuture<JsonNode> join(String channel) {
        return call(JSON.createObjectNode().put("type", "join").put("channel", channel));
    }

    /**
     * Sets this connection's device {@code away} or back {@code online} (docs/protocol.md, {@code set_status}; no
     * reply). Not kept across reconnects: a new connection starts online. Does nothing while offline.
     */
    public void setStatus(String status) {
        loop.execute(() -> send(JSON.createObjectNode().put("type", "set_status").put("status", status)));
    }

    /** A page of raw events after a seq. */
    public CompletableFuture<JsonNode> eventsAfter(String channel, long after, int limit) {
        return call(JSON.createObjectNode().put("type", "events").put("channel", channel).put("after", after).put("limit", limit));
    }

    // ---------------------------------------------------------------- sending

    /** {@link #send(String, String, String)} with a new clientMsgId. */
    public CompletableFuture<JsonNode> send(String channel, String text) {
        return send(channel, text, "m-" + UUID.randomUUID());
    }

    /**
     * Persists the send in the outbox, then sends it — and again with the same clientMsgId after every reconnect
     * (and from the next client on the same storage) until it is acknowledged.
     *
     * @return the ack; fails with a {@link ParleyException} when refused for good (the entry is then dropped)
     */
    public CompletableFuture<JsonNode> send(String channel, String text, String clientMsgId) {
        return supply(() -> {
            ObjectNode e = JSON.createObjectNode().put("clientMsgId", clientMsgId).put("channel", channel).put("text", text)
                    .put("order", order++);
            outbox.put(clientMsgId, e);
            config.storage().put(OUTBOX + clientMsgId, e); // written before it goes out
            CompletableFuture<JsonNode> acked = waiting.computeIfAbsent(clientMsgId, k -> new CompletableFuture<>());
            boolean olderAllInFlight = inflight.size() == outbox.size() - 1;
            if (welcomed && !stopped && olderAllInFlight && pausedUntil <= System.currentTimeMillis()) {
                inflight.add(clientMsgId); // online, not backing off, every older send in flight: no need to scan them
                transmit(clientMsgId, e);
            } else {
                flushOutbox();
            }
            return acked;
        });
    }

    private void flushOutbox() {
        if (!welcomed || stopped) {
            return;
        }
        long wait = pausedUntil - System.currentTimeMillis();
        if (wait > 0) {
            loop.schedule(this::flushOutbox, wait, TimeUnit.MILLISECONDS);
            return;
        }
        for (ObjectNode e : List.copyOf(outbox.values())) {
            String id = e.path("clientMsgId").asText();
            if (inflight.add(id)) {
                transmit(id, e);
            }
        }
    }

    private void transmit(String id, ObjectNode e) {
        ObjectNode frame = JSON.createObjectNode().put("type", "send").put("channel", e.path("channel").asText())
                .put("clientMsgId", id).put("text", e.path("text").asText());
        request(frame, "clientMsgId").whenCompleteAsync((ack, err) -> {
            if (err == null) {
                sendRetries.reset();
                settleSend(id, ack, System.nanoTime()); // normally settled already, when its frame came
                return;
            }
            inflight.remove(id);
            ParleyException pe = err instanceof ParleyException p ? p
                    : err.getCause() instanceof ParleyException p2 ? p2 : new ParleyException("internal_error", String.valueOf(err), null);
            if (pe.code().equals("disconnected") || pe.code().equals("closed")) {
                return; // sent again after the next welcome
            }
            if (pe.isRetryable()) {
                // the gateway refuses the sends queued behind a refused one too (a connection's sends to a channel
                // are taken in order): one burst of refusals is one back-off step; the flush re-sends oldest first
                long floor = pe.retryAfter().map(Duration::toMillis).orElse(0L);
                long now = System.currentTimeMillis();
                pausedUntil = Math.max(pausedUntil, now + (pausedUntil > now ? floor : sendRetries.nextMillis(floor)));
                loop.schedule(this::flushOutbox, Math.max(0, pausedUntil - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
                return;
            }
            outbox.remove(id);
            config.storage().delete(OUTBOX + id);
            CompletableFuture<JsonNode> w = waiting.remove(id);
            if (w != null) {
                w.completeExceptionally(pe);
            }
        }, loop);
    }

    /** A send acknowledged (received at {@code received}); the second acknowledgement of one send does nothing. */
    private void settleSend(String id, JsonNode ack, long received) {
        inflight.remove(id);
        if (outbox.remove(id) != null) {
            config.storage().delete(OUTBOX + id);
            for (ReceivedListener l : ackListeners) {
                l.on(ack, received);
            }
        }
        CompletableFuture<JsonNode> w = waiting.remove(id);
        if (w != null) {
            w.complete(ack);
        }
    }

    private void sortOutbox() {
        List<ObjectNode> sorted = new ArrayList<>(outbox.values());
        sorted.sort((a, b) -> Long.compare(a.path("order").asLong(), b.path("order").asLong()));
        outbox.clear();
        sorted.forEach(e -> outbox.put(e.path("clientMsgId").asText(), e));
    }

    // ---------------------------------------------------------------- the client's thread

    private <T> T onLoop(java.util.concurrent.Callable<T> task) {
        try {
            CompletableFuture<T> result = new CompletableFuture<>();
            loop.execute(() -> {
                try {
                    result.complete(task.call());
                } catch (Exception e) {
                    result.completeExceptionally(e);
                }
            });
            return result.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> CompletableFuture<T> supply(java.util.function.Supplier<CompletableFuture<T>> task) {
        CompletableFuture<T> out = new CompletableFuture<>();
        loop.execute(() -> task.get().whenComplete((v, e) -> {
            if (e != null) {
                out.completeExceptionally(e instanceof java.util.concurrent.CompletionException c && c.getCause() != null ? c.getCause() : e);
            } else {
                out.complete(v);
            }
        }));
        return out;
    }
}
