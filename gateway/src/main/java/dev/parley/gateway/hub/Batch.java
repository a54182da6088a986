package dev.parley.gateway.hub;

import java.util.ArrayList;
import java.util.List;

/**
 * Consecutive live events of one channel that go out together to the connections that take batches: one
 * {@code events} frame, rendered once per gateway and shared by all of them (a lone event goes as its own
 * {@code event} frame). A batch holding an event private to its actor (an old read event) is rendered per user
 * instead, since others see a placeholder.
 */
public final class Batch {

    private final String channel;
    private final List<Delivery> events;
    private final SharedFrame shared;

    /** @param events consecutive events of the channel, in seq order, at least one */
    public Batch(String channel, List<Delivery> events) {
        if (events.isEmpty()) {
            throw new IllegalArgumentException("an empty batch");
        }
        this.channel = channel;
        this.events = List.copyOf(events);
        this.shared = this.events.size() == 1 ? this.events.get(0).frame()
                : this.events.stream().anyMatch(d -> Delivery.isPrivate(d.kind())) ? null : new SharedFrame(render(null));
    }

    public String channel() {
        return channel;
    }

    public List<Delivery> events() {
        return events;
    }

    public long first() {
        return events.get(0).seq();
    }

    public long last() {
        return events.get(events.size() - 1).seq();
    }

    /** The frame this user gets: the shared one, unless the batch holds an event private to someone. */
    public SharedFrame frameFor(String user) {
        if (shared != null) {
            return shared;
        }
        return events.size() == 1 ? events.get(0).frameFor(user) : SharedFrame.once(render(user));
    }

    private String render(String user) {
        int size = 64 + channel.length();
        for (Delivery d : events) {
            size += d.frame().chars() + 1;
        }
        StringBuilder b = new StringBuilder(size);
        b.append("{\"type\":\"events\",\"channel\":").append(Frames.JSON.getNodeFactory().textNode(channel))
                .append(",\"live\":true,\"events\":[");
        for (int i = 0; i < events.size(); i++) {
            b.append(i == 0 ? "" : ",").append(user == null ? events.get(i).frame().text() : events.get(i).frameFor(user).text());
        }
        return b.append("]}").toString();
    }

    /**
     * Cuts a channel's waiting events into batches of at most {@code maxEvents} events and {@code maxChars}
     * characters of event frames; an event larger than that alone is a batch of one.
     */
    public static List<Batch> of(String channel, List<Delivery> events, int maxEvents, int maxChars) {
        List<Batch> out = new ArrayList<>();
        List<Delivery> current = new ArrayList<>();
        int chars = 0;
        for (Delivery d : events) {
            int size = d.frame().chars() + 1;
            if (!current.isEmpty() && (current.size() == maxEvents || chars + size > maxChars)) {
                out.add(new Batch(channel, current));
                current = new ArrayList<>();
                chars = 0;
            }
            current.add(d);
            chars += size;
        }
        if (!current.isEmpty()) {
            out.add(new Batch(channel, current));
        }
        return out;
    }
}
