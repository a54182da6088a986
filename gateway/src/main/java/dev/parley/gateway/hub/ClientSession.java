package dev.parley.gateway.hub;

import dev.parley.gateway.auth.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: who it is, its per-channel streams, and a bounded outbound queue. A connection
 * that lets more than {@code maxQueuedChars} characters of frames pile up unsent (about bytes: frames are
 * mostly ASCII JSON) is sent a {@code resync} frame and closed instead of growing memory; it recovers by
 * reconnecting with resume. The bound is on size, not count: a few large messages weigh as much as many small.
 */
public final class ClientSession {

    private static final Logger LOG = LoggerFactory.getLogger(ClientSession.class);

    private final Outbound out;
    private final long maxQueuedChars;
    private final AtomicLong queued = new AtomicLong();
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private final Map<String, ChannelStream> streams = new ConcurrentHashMap<>();
    private volatile Principal principal;
    private volatile String device;
    private List<Runnable> held; // frames produced while the welcome is being prepared; guarded by this
    private volatile boolean takesBatches;
    private volatile boolean pulls;
    private final String id;
    private final SessionStats stats;
    private volatile java.util.concurrent.Future<?> expiry;

    public ClientSession(String id, Outbound out, long maxQueuedChars, SessionStats stats) {
        this.id = id;
        this.out = out;
        this.maxQueuedChars = maxQueuedChars;
        this.stats = stats;
    }

    public String id() {
        return id;
    }

    public Principal principal() {
        return principal;
    }

    public String user() {
        Principal p = principal;
        return p == null ? null : p.user();
    }

    public String device() {
        return device;
    }

    public boolean isAuthenticated() {
        return principal != null;
    }

    public void authenticate(Principal principal, String device) {
        this.principal = principal;
        this.device = device;
    }

    /** Whether the connection negotiated batched delivery in its hello ({@code events} frames). */
    public boolean takesBatches() {
        return takesBatches;
    }

    public void takeBatches(boolean yes) {
        this.takesBatches = yes;
    }

    /** Whether the connection asked for pull mode for all its channels (a background tab, a mobile client). */
    public boolean pulls() {
        return pulls;
    }

    public void pull(boolean yes) {
        this.pulls = yes;
    }

    public Map<String, ChannelStream> streams() {
        return streams;
    }

    public boolean isOpen() {
        return out.isOpen() && !overflowed.get();
    }

    /**
     * Queues a frame. Frames of one channel are queued in seq order by their {@link ChannelStream}; the
     * transport writes them in queue order.
     */
    public void send(String frame) {
        synchronized (this) {
            if (held != null) {
                held.add(() -> write(frame));
                return;
            }
        }
        write(frame);
    }

    /** Queues a frame shared with other connections (its bytes are encoded once for all of them). */
    public void send(SharedFrame frame) {
        synchronized (this) {
            if (held != null) {
                held.add(() -> write(frame));
                return;
            }
        }
        write(frame);
    }

    /** Events of a channel just queued to this connection, in one frame. */
    void delivered(int events) {
        stats.eventsDelivered(events, 1);
    }

    /** From now until {@link #sendWelcome}, frames wait: the welcome must be the first thing after hello. */
    public synchronized void holdUntilWelcome() {
        if (held == null) {
            held = new ArrayList<>();
        }
    }

    /** Sends the welcome frame, then everything produced while it was being prepared. */
    public void sendWelcome(String welcome) {
        List<Runnable> backlog;
        synchronized (this) {
            write(welcome);
            backlog = held;
            held = null;
            if (backlog != null) {
                backlog.forEach(Runnable::run);
            }
        }
    }

    private void write(String frame) {
        int size = frame.length();
        if (admit(size)) {
            out.send(frame, () -> queued.addAndGet(-size), error -> notWritten(size, error));
        }
    }

    private void write(SharedFrame frame) {
        int size = frame.chars();
        if (admit(size)) {
            out.send(frame, () -> queued.addAndGet(-size), error -> notWritten(size, error));
        }
    }

    /** Counts a frame into the outbound queue, or tells the connection to resync if it does not fit. */
    private boolean admit(int size) {
        if (overflowed.get() || !out.isOpen()) {
            return false;
        }
        if (queued.addAndGet(size) > maxQueuedChars) {
            queued.addAndGet(-size);
            overflow();
            return false;
        }
        stats.framesSent();
        stats.charsSent(size);
        return true;
    }

    private void notWritten(int size, Throwable error) {
        queued.addAndGet(-size);
        LOG.debug("frame to {} not written: {}", id, error.toString());
    }

    private void overflow() {
        if (overflowed.compareAndSet(false, true)) {
            stats.resync();
            LOG.info("connection {} of {} has {} characters of frames unsent; telling it to resync", id, user(), queued.get());
            // Bypasses the queue limit on purpose: it is the last frame.
            out.send(Frames.resync("slow_consumer"), () -> { }, e -> { });
            out.close(CloseCodes.SLOW_CONSUMER, "slow consumer: reconnect and resume");
        }
    }

    /** The task that closes the connection when its token expires; cancelled when the connection ends. */
    public void expiresWith(java.util.concurrent.Future<?> task) {
        this.expiry = task;
    }

    /** The connection is gone: release what it holds. */
    public void ended() {
        java.util.concurrent.Future<?> task = expiry;
        if (task != null) {
            task.cancel(false);
        }
    }

    /** Characters of frames queued and not yet written. */
    public long queuedChars() {
        return queued.get();
    }

    public void close(int code, String reason) {
        out.close(code, reason);
    }
}
