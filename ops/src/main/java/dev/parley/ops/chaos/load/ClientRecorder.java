package dev.parley.ops.chaos.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.ops.chaos.check.ClientHistory;
import dev.parley.ops.chaos.check.Received;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one client application got: every event its client library handed over (in order, with the time), where it
 * started following each channel, and how often its connection dropped.
 */
public final class ClientRecorder {

    private final String name;
    private final String user;
    private final ChatClient client;
    private final List<Received> received = new ArrayList<>();
    private final Map<String, Long> knownFrom = new HashMap<>();
    private final AtomicInteger drops = new AtomicInteger();

    public ClientRecorder(String name, String user, ChatClient client) {
        this.name = name;
        this.user = user;
        this.client = client;
        client.onEvent(this::event);
        client.onOnline(online -> {
            if (!online) {
                drops.incrementAndGet();
            }
        });
    }

    public String name() {
        return name;
    }

    public String user() {
        return user;
    }

    public ChatClient client() {
        return client;
    }

    /** The channels a first welcome listed start at their head (the client follows them live from there). */
    public synchronized void welcomed(JsonNode welcome) {
        for (JsonNode c : welcome.path("channels")) {
            knownFrom.putIfAbsent(c.path("channel").asText(), c.path("head").asLong());
        }
    }

    private synchronized void event(JsonNode e) {
        String channel = e.path("channel").asText();
        long seq = e.path("seq").asLong();
        knownFrom.putIfAbsent(channel, seq - 1);
        received.add(new Received(channel, seq, e.path("eventId").asText(), System.nanoTime()));
    }

    /** How often the connection dropped so far (a send outstanding across a drop was sent again by the outbox). */
    public int drops() {
        return drops.get();
    }

    /** The last seq handed over of a channel, or null. */
    public synchronized Long lastSeq(String channel) {
        for (int i = received.size() - 1; i >= 0; i--) {
            if (received.get(i).channel().equals(channel)) {
                return received.get(i).seq();
            }
        }
        return knownFrom.get(channel);
    }

    /**
     * @param channels the channels the user is a member of: one the client learnt of from a later welcome (so never
     *                 got an event of) starts at its cursor
     */
    public ClientHistory history(List<String> channels) {
        Map<String, Long> cursors = new HashMap<>(); // asked outside this lock: the client's thread takes it to record events
        for (String c : channels) {
            Long cursor = client.cursor(c);
            if (cursor != null) {
                cursors.put(c, cursor);
            }
        }
        boolean online = client.online();
        synchronized (this) {
            Map<String, Long> from = new HashMap<>(knownFrom);
            cursors.forEach(from::putIfAbsent);
            return new ClientHistory(name, user, online, from, received);
        }
    }
}
