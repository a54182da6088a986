package dev.parley.gateway.hub;

/**
 * When the live events of one channel go out to the connections that take batches: the rule alone, with no clock
 * or thread of its own (the caller passes the time and wakes up when told).
 *
 * <p>An event that becomes ready while the channel is quiet goes out with the read of the log that brought it: at
 * once, so an idle channel gets no added latency, and together with the other events of the same read. Sending
 * opens a window: events that become ready inside it wait for its end and go out together; a window that ends with
 * events waiting sends them and opens again, one that ends with none closes and the channel is quiet again. A busy
 * channel thus sends one frame per window, a quiet one every event at once.
 */
public final class BatchWindow {

    /** When an event that just became ready goes out. */
    public enum When {
        /** With the current read of the log: the channel was quiet. */
        NOW,
        /** At the end of the open window. */
        AT_WINDOW_END
    }

    private final long windowMillis;
    private boolean open;
    private boolean waiting;
    private long endsAt;

    public BatchWindow(long windowMillis) {
        if (windowMillis < 0) {
            throw new IllegalArgumentException("window must be >= 0, got " + windowMillis);
        }
        this.windowMillis = windowMillis;
    }

    /** An event became ready. */
    public When ready() {
        if (open && windowMillis > 0) {
            waiting = true;
            return When.AT_WINDOW_END;
        }
        return When.NOW;
    }

    /**
     * The channel's waiting events went out at {@code now}: a window opens (or starts again).
     *
     * @return when it ends: the caller calls {@link #ended} then
     */
    public long sent(long now) {
        waiting = false;
        open = windowMillis > 0;
        endsAt = now + windowMillis;
        return endsAt;
    }

    /** When the open window ends (meaningful while {@link #isOpen}). */
    public long endsAt() {
        return endsAt;
    }

    public boolean isOpen() {
        return open;
    }

    /**
     * The caller woke up at {@code now} for the window's end.
     *
     * @return true if events wait: send them now (then call {@link #sent}); false if nothing does, or the window
     *         was pushed back by a later send and has not ended yet ({@link #isOpen} tells which)
     */
    public boolean ended(long now) {
        if (!open || now < endsAt) {
            return false;
        }
        if (waiting) {
            return true;
        }
        open = false;
        return false;
    }
}
