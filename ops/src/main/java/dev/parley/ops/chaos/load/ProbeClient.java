package dev.parley.ops.chaos.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.ops.chaos.check.ClientHistory;
import dev.parley.ops.chaos.check.ConnectionLog;
import dev.parley.ops.chaos.check.Received;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * A protocol probe: a second device of a user that follows its channels over the raw protocol and repairs nothing.
 * It resumes every channel from the last seq it got (the first time from 0, the whole history), records every frame
 * of every connection ({@link ConnectionLog}), and keeps what arrived as its application would. It fills no gaps: a
 * client library's gap filling would hide a gateway that skips or repeats events, so what the probe holds at the
 * end is what the gateway delivered. It only pages with {@code events} after a {@code behind}, as the protocol asks.
 * It also asks, on every connection, to resume private channels it is not a member of ({@code curious}): the gateway
 * must answer {@code not_a_member} and deliver nothing of them.
 */
public final class ProbeClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final String user;
    private final URI url;
    private final WebSocketClient ws;
    private final ScheduledExecutorService timer;
    private final Supplier<String> token;
    private final Set<String> curious;
    private final Map<String, Long> cursors = new LinkedHashMap<>();
    private final Map<String, Long> knownFrom = new HashMap<>();
    private final List<Received> received = new ArrayList<>();
    private final List<ConnectionLog> done = new ArrayList<>();
    private List<ConnectionLog.Frame> frames;
    private Map<String, Long> resumed;
    private int number;
    private Session session;
    private boolean welcomed;
    private boolean stopped;
    private long requests;

    /**
     * @param channels the channels the user is a member of from the start: resumed from 0 on the first connection
     * @param curious  private channels the user is not a member of, asked for on every connection
     */
    public ProbeClient(String user, URI url, WebSocketClient ws, ScheduledExecutorService timer, Supplier<String> token,
                       List<String> channels, Set<String> curious) {
        this.name = user + "/probe";
        this.user = user;
        this.url = url;
        this.ws = ws;
        this.timer = timer;
        this.token = token;
        this.curious = Set.copyOf(curious);
        channels.forEach(c -> {
            cursors.put(c, 0L);
            knownFrom.put(c, 0L);
        });
    }

    public String name() {
        return name;
    }

    public synchronized void start() {
        connect();
    }

    public synchronized boolean online() {
        return welcomed && session != null && session.isOpen();
    }

    /** The last seq held of each channel. */
    public synchronized Map<String, Long> cursors() {
        return Map.copyOf(cursors);
    }

    /** What its application holds. */
    public synchronized ClientHistory history() {
        return new ClientHistory(name, user, online(), knownFrom, received);
    }

    /** Every connection so far, the open one included. */
    public synchronized List<ConnectionLog> connections() {
        List<ConnectionLog> all = new ArrayList<>(done);
        if (frames != null) {
            all.add(new ConnectionLog(name, user, number, resumed, frames));
        }
        return all;
    }

    private void connect() {
        if (stopped) {
            return;
        }
        number++;
        welcomed = false;
        resumed = new LinkedHashMap<>(cursors);
        curious.forEach(c -> resumed.putIfAbsent(c, 0L));
        frames = new ArrayList<>();
        int generation = number;
        try {
            ws.connect(new Endpoint(generation), url).whenComplete((s, e) -> {
                if (e != null) {
                    dropped(generation);
                }
            });
        } catch (Exception e) {
            dropped(generation);
        }
    }

    private synchronized void opened(int generation, Session s) {
        if (generation != number || stopped) {
            s.disconnect();
            return;
        }
        session = s;
        ObjectNode hello = JSON.createObjectNode().put("type", "hello").put("token", token.get()).put("device", "probe");
        ObjectNode resume = hello.putObject("resume");
        resumed.forEach(resume::put);
        s.sendText(hello.toString(), Callback.NOOP);
    }

    private synchronized void dropped(int generation) {
        if (generation != number) {
            return;
        }
        done.add(new ConnectionLog(name, user, number, resumed, frames));
        frames = null;
        session = null;
        welcomed = false;
        if (!stopped) {
            long backoff = 200 + ThreadLocalRandom.current().nextLong(800);
            timer.schedule(() -> {
                synchronized (this) {
                    connect();
                }
            }, backoff, TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void frame(int generation, String text) {
        if (generation != number || frames == null) {
            return;
        }
        long now = System.nanoTime();
        JsonNode f;
        try {
            f = JSON.readTree(text);
        } catch (Exception e) {
            return;
        }
        String channel = f.path("channel").asText(null);
        switch (f.path("type").asText()) {
            case "welcome" -> {
                welcomed = true;
                Map<String, Long> heads = new LinkedHashMap<>();
                for (JsonNode c : f.path("channels")) {
                    String ch = c.path("channel").asText();
                    long head = c.path("head").asLong();
                    heads.put(ch, head);
                    if (!cursors.containsKey(ch)) {
                        long from = resumed.containsKey(ch) ? resumed.get(ch) : head; // a curious channel it was added to
                        cursors.put(ch, from);
                        knownFrom.putIfAbsent(ch, from);
                    }
                }
                frames.add(new ConnectionLog.Welcome(heads));
            }
            case "event" -> {
                long seq = f.path("seq").asLong();
                Received r = new Received(channel, seq, f.path("eventId").asText(), now);
                frames.add(new ConnectionLog.Event(channel, seq, r.eventId(), now));
                accept(r);
            }
            case "caught_up" -> frames.add(new ConnectionLog.CaughtUp(channel, f.path("seq").asLong()));
            case "behind" -> {
                frames.add(new ConnectionLog.Behind(channel, f.path("after").asLong(), f.path("head").asLong()));
                page(generation, channel);
            }
            case "events" -> {
                for (JsonNode e : f.path("events")) {
                    accept(new Received(channel, e.path("seq").asLong(), e.path("eventId").asText(), now));
                }
                if (f.path("more").asBoolean()) {
                    page(generation, channel);
                } else {
                    long after = cursors.getOrDefault(channel, 0L);
                    frames.add(new ConnectionLog.Subscribed(channel, after));
                    send(JSON.createObjectNode().put("type", "subscribe").put("channel", channel).put("after", after));
                }
            }
            case "error" -> {
                if ("resume_ahead".equals(f.path("code").asText())) {
                    long head = f.path("head").asLong();
                    frames.add(new ConnectionLog.ResumeAhead(channel, head));
                    cursors.put(channel, head);
                }
            }
            default -> {
                // caught_up of other channels, pong, resync (a close follows): nothing to do
            }
        }
    }

    /** What the application keeps: anything after its cursor; a gap is not filled (the checks count it). */
    private void accept(Received r) {
        Long cursor = cursors.get(r.channel());
        if (cursor == null) {
            knownFrom.putIfAbsent(r.channel(), r.seq() - 1);
        } else if (r.seq() <= cursor) {
            return;
        }
        received.add(r);
        cursors.put(r.channel(), r.seq());
    }

    private void page(int generation, String channel) {
        send(JSON.createObjectNode().put("type", "events").put("channel", channel).put("after", cursors.getOrDefault(channel, 0L))
                .put("limit", 1000).put("requestId", name + "-e" + generation + "-" + (++requests)));
    }

    private void send(ObjectNode frame) {
        if (session != null) {
            session.sendText(frame.toString(), Callback.NOOP);
        }
    }

    @Override
    public synchronized void close() {
        stopped = true;
        if (session != null) {
            session.close(1000, "done", Callback.NOOP);
        }
    }

    /** Jetty's callbacks for one connection. */
    public final class Endpoint implements Session.Listener.AutoDemanding {
        private final int generation;

        Endpoint(int generation) {
            this.generation = generation;
        }

        @Override
        public void onWebSocketOpen(Session s) {
            opened(generation, s);
        }

        @Override
        public void onWebSocketText(String text) {
            frame(generation, text);
        }

        @Override
        public void onWebSocketClose(int code, String reason) {
            dropped(generation);
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            dropped(generation);
        }
    }
}
