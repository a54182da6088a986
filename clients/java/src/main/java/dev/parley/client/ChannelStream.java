package dev.parley.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.TreeMap;

/**
 * One channel's events strictly by seq, no gap, no repeat: an event at or below the cursor is dropped, one past
 * cursor + 1 is held and reported as a gap, to be filled with {@code events after cursor} pages ({@link #fillFrom}).
 * Each event keeps the time its frame was received ({@link System#nanoTime()}), also while it is held.
 * Not thread-safe: the client calls it from its one event thread.
 */
public final class ChannelStream {

    /** Takes the events in order, with the time each one's frame was received. */
    @FunctionalInterface
    public interface Receiver {
        void deliver(JsonNode event, long receivedNanos);
    }

    private record Held(JsonNode event, long receivedNanos) {
    }

    /** What {@link #offer} did with an event. */
    public enum Offer { DELIVERED, DUPLICATE, HELD }

    private final String channel;
    private final Receiver deliver;
    private final TreeMap<Long, Held> held = new TreeMap<>();
    private Long cursor;
    private boolean filling;

    public ChannelStream(String channel, Long cursor, Receiver deliver) {
        this.channel = channel;
        this.cursor = cursor;
        this.deliver = deliver;
    }

    public String channel() {
        return channel;
    }

    /** The last seq delivered, or null when unknown. */
    public Long cursor() {
        return cursor;
    }

    void startAt(long seq) {
        cursor = seq;
    }

    /** {@link #offer(JsonNode, long)} received now. */
    public Offer offer(JsonNode event) {
        return offer(event, System.nanoTime());
    }

    /** An event as it came, received at {@code receivedNanos}. */
    public Offer offer(JsonNode event, long receivedNanos) {
        long seq = event.path("seq").asLong();
        if (cursor == null) {
            cursor = seq - 1; // a channel first seen now: what came before is history
        }
        if (seq <= cursor || held.containsKey(seq)) {
            return Offer.DUPLICATE;
        }
        if (seq == cursor + 1 && !filling) {
            deliverInOrder(event, receivedNanos);
            drain();
            return Offer.DELIVERED;
        }
        held.put(seq, new Held(event, receivedNanos));
        return Offer.HELD;
    }

    /** Whether a fill is needed: events are held past a gap and none is running. */
    public boolean needsFill() {
        return !filling && !held.isEmpty();
    }

    public void fillStarted() {
        filling = true;
    }

    /**
     * A page of {@code events after cursor}.
     * @return true when more pages are needed (the held events do not connect yet and the page made progress)
     */
    public boolean fillFrom(Iterable<JsonNode> page, boolean more, long upTo) {
        return fillFrom(page, more, upTo, System.nanoTime());
    }

    /** {@link #fillFrom(Iterable, boolean, long)} of a page received at {@code receivedNanos}. */
    public boolean fillFrom(Iterable<JsonNode> page, boolean more, long upTo, long receivedNanos) {
        long before = cursor == null ? 0 : cursor;
        for (JsonNode e : page) {
            if (e.path("seq").asLong() == (cursor == null ? 0 : cursor) + 1) {
                held.remove(e.path("seq").asLong());
                deliverInOrder(e, receivedNanos);
            }
        }
        drainHeld();
        long target = upTo > 0 ? upTo : held.isEmpty() ? cursor : held.firstKey() - 1;
        boolean progress = cursor != null && cursor > before;
        boolean again = progress && cursor < target && (more || !held.isEmpty());
        if (!again) {
            filling = false;
            drainHeld();
        }
        return again;
    }

    /** A fill failed (offline): the next connection resumes from the cursor. */
    public void fillFailed() {
        filling = false;
    }

    /** A new connection replays everything after the cursor: forget what was held. */
    public void reset() {
        held.clear();
        filling = false;
    }

    private void drain() {
        if (!filling) {
            drainHeld();
        }
    }

    private void drainHeld() {
        while (cursor != null && held.containsKey(cursor + 1)) {
            Held h = held.remove(cursor + 1);
            deliverInOrder(h.event(), h.receivedNanos());
        }
    }

    private void deliverInOrder(JsonNode e, long receivedNanos) {
        cursor = e.path("seq").asLong();
        deliver.deliver(e, receivedNanos);
    }
}
