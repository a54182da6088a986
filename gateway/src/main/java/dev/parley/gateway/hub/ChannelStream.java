package dev.parley.gateway.hub;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The events of one channel going to one connection, in strictly increasing seq with no gap and no repeat.
 * Live events arrive from the log tail; whenever one does not follow the last delivered seq (the
 * connection resumed from an older seq, joined late, or the gateway's tail ran ahead of its knowledge),
 * the stream buffers live events and fills the gap from the topology's queries, then drains the buffer.
 * The buffer is bounded: if it overflows it is dropped, since every event can be fetched again.
 *
 * <p>A catch-up has a <em>target</em>: the highest seq known to be committed when it started (the head the
 * connection was told, the last seq the hub published for the channel) or seen live since. It is finished,
 * and {@code caught_up} sent, only when the cursor has reached the target: a store that trails the log
 * makes the catch-up wait, never end early.
 */
public final class ChannelStream {

    /** What applying a catch-up page led to. */
    public enum Progress { CAUGHT_UP, MORE, STORE_BEHIND }

    private enum State { LIVE, CATCHING_UP, DETACHED }

    private static final int MAX_BUFFERED = 10_000;

    private final ClientSession session;
    private final String channel;
    private long cursor;
    private long target;
    private State state = State.LIVE;
    private final TreeMap<Long, Delivery> buffer = new TreeMap<>();
    private boolean announceCatchUp;
    private boolean catchUpScheduled;
    private final boolean pull;
    private long toldHead;

    ChannelStream(ClientSession session, String channel, long cursor) {
        this(session, channel, cursor, false);
    }

    /** @param pull in pull mode: the connection is told the channel's head, never sent its events */
    ChannelStream(ClientSession session, String channel, long cursor, boolean pull) {
        this.session = session;
        this.channel = channel;
        this.cursor = Math.max(0, cursor);
        this.target = this.cursor;
        this.pull = pull;
        this.toldHead = this.cursor;
    }

    /** Whether the connection follows the channel in pull mode ({@code head} frames, no events). */
    public boolean pulls() {
        return pull;
    }

    /**
     * Pull mode: the channel's head moved to {@code head}.
     *
     * @return true if the connection must be told (it was last told, or resumed from, a lower seq)
     */
    synchronized boolean tell(long head) {
        if (head <= toldHead) {
            return false;
        }
        toldHead = head;
        return true;
    }

    public String channel() {
        return channel;
    }

    public ClientSession session() {
        return session;
    }

    public synchronized long cursor() {
        return cursor;
    }

    /** The seq the running catch-up must reach (committed: the caller may fetch up to it). */
    public synchronized long target() {
        return target;
    }

    /**
     * A live event.
     *
     * @return true if a catch-up must be scheduled (a gap opened)
     */
    synchronized boolean offer(Delivery d) {
        if (d.seq() <= cursor || state == State.DETACHED || pull) {
            return false;
        }
        if (state == State.LIVE && d.seq() == cursor + 1) {
            deliver(d);
            return false;
        }
        if (buffer.size() >= MAX_BUFFERED) {
            buffer.clear(); // everything in it can be fetched again
        }
        buffer.put(d.seq(), d);
        return startCatchUp(d.seq(), false);
    }

    /**
     * Live events that go out together to a connection that takes batches: as the one shared frame when they follow
     * the last delivered seq, else one by one as {@link #offer(Delivery)} would take them (a part already delivered
     * by a catch-up is skipped, a gap buffers them and asks for a catch-up).
     *
     * @return true if a catch-up must be scheduled (a gap opened)
     */
    synchronized boolean offer(Batch batch) {
        if (state == State.DETACHED || batch.last() <= cursor || pull) {
            return false;
        }
        if (state == State.LIVE && batch.first() == cursor + 1) {
            session.send(batch.frameFor(session.user()));
            session.delivered(batch.events().size());
            cursor = batch.last();
            return false;
        }
        boolean catchUp = false;
        for (Delivery d : batch.events()) {
            catchUp |= offer(d);
        }
        return catchUp;
    }

    /** Whether live events reach this stream in batches (its connection negotiated them). */
    boolean takesBatches() {
        return session.takesBatches();
    }

    /**
     * Asks for a catch-up up to {@code upTo} (the connection resumed from an older seq, or the hub knows of
     * later events).
     *
     * @param upTo     a committed seq the connection must have before it is caught up
     * @param announce send a {@code caught_up} frame when done
     * @return true if the caller must schedule one (none is running)
     */
    synchronized boolean startCatchUp(long upTo, boolean announce) {
        if (state == State.DETACHED) {
            return false;
        }
        target = Math.max(target, upTo);
        announceCatchUp |= announce;
        state = State.CATCHING_UP;
        if (catchUpScheduled) {
            return false;
        }
        catchUpScheduled = true;
        return true;
    }

    /** Applies one page of events after {@link #cursor()}, then whatever buffered events now follow. */
    synchronized Progress apply(List<Delivery> page, boolean more) {
        for (Delivery d : page) {
            if (d.seq() == cursor + 1) {
                deliver(d);
            }
        }
        drainBuffer();
        if (cursor >= target && buffer.isEmpty()) {
            finishCatchUp();
            return Progress.CAUGHT_UP;
        }
        if (more) {
            return Progress.MORE;
        }
        // The store answered up to its head, but a later seq is known to be committed (published by the
        // tail, or buffered live): the store trails the log. Wait and ask again.
        return Progress.STORE_BEHIND;
    }

    /** The catch-up could not go on (behind by too much): no live events until the client subscribes again. */
    synchronized void detach() {
        state = State.DETACHED;
        catchUpScheduled = false;
        buffer.clear();
    }

    synchronized boolean isDetached() {
        return state == State.DETACHED;
    }

    /** Called when a catch-up task ends without completing (connection gone, store unavailable for good). */
    synchronized void catchUpAbandoned() {
        catchUpScheduled = false;
    }

    private void finishCatchUp() {
        state = State.LIVE;
        catchUpScheduled = false;
        if (announceCatchUp) {
            announceCatchUp = false;
            session.send(Frames.caughtUp(channel, cursor));
        }
    }

    private void drainBuffer() {
        while (!buffer.isEmpty()) {
            Map.Entry<Long, Delivery> first = buffer.firstEntry();
            if (first.getKey() <= cursor) {
                buffer.pollFirstEntry();
            } else if (first.getKey() == cursor + 1) {
                buffer.pollFirstEntry();
                deliver(first.getValue());
            } else {
                return;
            }
        }
    }

    private void deliver(Delivery d) {
        session.send(d.frameFor(session.user()));
        session.delivered(1);
        cursor = d.seq();
    }
}
