package dev.parley.gateway.hub;

import dev.parley.api.events.EventJson;
import dev.parley.api.events.Memberships;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.user.ReadCursorSet;
import dev.parley.avro.user.UserEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The gateway's routing tables: channel -> streams of local connections of its members, and user -> local
 * connections. The log tail publishes every committed event here in log order; membership events update
 * the tables in that same order (after a join the member gets the next events, after a leave none). The user
 * events tail publishes changes of a user's own state (read cursors), which go to that user's connections only.
 * Registration and publication of one channel are serialized by a striped lock, and the hub remembers the
 * last seq it published per channel, so a connection that subscribes never misses an event that went by
 * while it was setting up.
 *
 * <p>Connections that negotiated batching get a channel's live events through its {@link ChannelBatcher}: they
 * wait there as its {@link BatchWindow} says, and go out as one {@link Batch} whose frame is rendered once for all
 * of them. A membership event first sends what waits, then goes to everyone at once, so that a join or a leave
 * takes effect at its exact place in the channel's order for batched connections too.
 *
 * <p>Connections that follow a channel in pull mode (a large channel, a background tab) get no events of it: a
 * {@code head} frame with the channel's last seq, rendered once per channel and coalesced by the same
 * {@link BatchWindow} rule with {@code PARLEY_PULL_INTERVAL}: the first change of a quiet channel is told at once,
 * later ones at most once per interval. The client pulls with {@code events after}.
 */
public final class Hub {

    private static final int STRIPES = 1024;

    private final Map<String, Set<ChannelStream>> byChannel = new ConcurrentHashMap<>();
    private final Map<String, Set<ClientSession>> byUser = new ConcurrentHashMap<>();
    private final Map<String, Long> published = new ConcurrentHashMap<>();
    private final Object[] locks = new Object[STRIPES];
    private final RecentMemberships recent;
    private final CatchUp catchUp;
    private final DeliveryConfig delivery;
    private final ScheduledExecutorService timer;
    private final LongSupplier clock;
    private final ChannelFollowing following;
    /** Per channel with batched followers: what waits and its window; guarded by the channel's lock. */
    private final Map<String, ChannelBatcher> batchers = new ConcurrentHashMap<>();
    /** Channels whose waiting events go out at the end of the current read of the log. */
    private final Set<String> dueNow = ConcurrentHashMap.newKeySet();
    /** Per channel with followers in pull mode: when their next head goes; guarded by the channel's lock. */
    private final Map<String, ChannelHeads> heads = new ConcurrentHashMap<>();
    /** Channels whose head goes to their pulling followers at the end of the current read of the log. */
    private final Set<String> headsDueNow = ConcurrentHashMap.newKeySet();

    /**
     * @param timer wakes the hub at the end of batch windows
     * @param clock milliseconds, for batch windows
     */
    public Hub(CatchUp catchUp, RecentMemberships recent, DeliveryConfig delivery, ScheduledExecutorService timer,
               LongSupplier clock) {
        this(catchUp, recent, delivery, timer, clock, ChannelFollowing.NONE);
    }

    /** @param following told when a channel gains its first local follower and loses its last (routed fan-out) */
    public Hub(CatchUp catchUp, RecentMemberships recent, DeliveryConfig delivery, ScheduledExecutorService timer,
               LongSupplier clock, ChannelFollowing following) {
        this.following = following;
        this.catchUp = catchUp;
        this.recent = recent;
        this.delivery = delivery;
        this.timer = timer;
        this.clock = clock;
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    /** When the pulling followers of one channel are next told its head. */
    private static final class ChannelHeads {
        final BatchWindow window;
        boolean wakeUpScheduled;

        ChannelHeads(long intervalMillis) {
            this.window = new BatchWindow(intervalMillis);
        }
    }

    /** What waits to go out in one channel's next batch, and its window. */
    private static final class ChannelBatcher {
        final BatchWindow window;
        List<Delivery> waiting = new ArrayList<>();
        boolean wakeUpScheduled;

        ChannelBatcher(long windowMillis) {
            this.window = new BatchWindow(windowMillis);
        }
    }

    private Object lock(String channel) {
        return locks[(channel.hashCode() & 0x7fffffff) % STRIPES];
    }

    /** Adds a stream to its channel's followers. Under the channel's lock. */
    private void follow(String channel, ChannelStream stream) {
        Set<ChannelStream> set = byChannel.computeIfAbsent(channel, c -> new CopyOnWriteArraySet<>());
        if (set.add(stream) && set.size() == 1) {
            following.first(channel);
        }
    }

    /** Removes a stream from its channel's followers. Under the channel's lock. */
    private void unfollow(String channel, ChannelStream stream) {
        Set<ChannelStream> set = byChannel.get(channel);
        if (set != null && set.remove(stream) && set.isEmpty()) {
            byChannel.remove(channel);
            following.last(channel);
        }
    }

    /** The connection's user is known: membership changes of that user now reach it. */
    public void register(ClientSession session) {
        byUser.computeIfAbsent(session.user(), u -> new CopyOnWriteArraySet<>()).add(session);
    }

    public void unregister(ClientSession session) {
        if (session.user() != null) {
            byUser.computeIfPresent(session.user(), (u, set) -> {
                set.remove(session);
                return set.isEmpty() ? null : set;
            });
        }
        for (String channel : List.copyOf(session.streams().keySet())) {
            unsubscribe(session, channel);
        }
    }

    /**
     * Starts delivering a channel to a connection from {@code cursor} on (the last seq it has).
     *
     * @param knownHead the channel's head as far as the caller knows (0 if unknown)
     * @param announce  send {@code caught_up} once the connection has everything up to the live tail
     */
    public ChannelStream subscribe(ClientSession session, String channel, long cursor, long knownHead, boolean announce) {
        return subscribe(session, channel, cursor, knownHead, announce, false);
    }

    /**
     * The same, in push or pull mode. In pull mode nothing is replayed and no {@code caught_up} is sent: the connection
     * is told the channel's head (when it is beyond {@code cursor}) and pulls what it lacks itself.
     */
    public ChannelStream subscribe(ClientSession session, String channel, long cursor, long knownHead, boolean announce,
                                   boolean pull) {
        ChannelStream stream;
        boolean needsCatchUp;
        synchronized (lock(channel)) {
            ChannelStream existing = session.streams().get(channel);
            if (existing != null && !existing.isDetached()) {
                return existing;
            }
            stream = new ChannelStream(session, channel, cursor, pull);
            session.streams().put(channel, stream);
            follow(channel, stream);
            if (existing != null) {
                unfollow(channel, existing); // after the new one is in: the channel never looks unfollowed here
            }
            // The catch-up's target: everything known to be committed when the connection subscribed.
            long head = Math.max(knownHead, published.getOrDefault(channel, 0L));
            if (pull) {
                if (stream.tell(head)) {
                    session.send(Frames.head(channel, head));
                }
                return stream;
            }
            needsCatchUp = head > stream.cursor() && stream.startCatchUp(head, announce);
            if (!needsCatchUp && announce) {
                // Under the channel's lock, so it cannot overtake a live event of this channel.
                session.send(Frames.caughtUp(channel, stream.cursor()));
            }
        }
        if (needsCatchUp) {
            catchUp.schedule(stream);
        }
        return stream;
    }

    /**
     * Switches how a connection follows a channel: to pull mode (from the last seq it was sent; it is told the head
     * if that is beyond), or to push mode from {@code after} (-1: the channel's head), with a catch-up and a
     * {@code caught_up} as after {@code subscribe}.
     *
     * @return false if the connection does not follow the channel
     */
    public boolean setDelivery(ClientSession session, String channel, boolean pull, long after) {
        // One hold of the channel's lock (it is reentrant) from the check to the new stream: a leave of the user
        // published in between would otherwise find no stream to remove, and the new one would outlive the membership.
        synchronized (lock(channel)) {
            ChannelStream existing = session.streams().get(channel);
            if (existing == null) {
                return false;
            }
            if (existing.pulls() == pull && !existing.isDetached()) {
                return true;
            }
            long head = published.getOrDefault(channel, 0L);
            long from = pull ? existing.cursor() : after < 0 ? Math.max(head, existing.cursor()) : after;
            existing.detach(); // subscribe replaces a detached stream
            subscribe(session, channel, from, 0, !pull, pull);
            return true;
        }
    }

    /** Whether a connection follows a channel of that many members in pull mode. */
    public boolean pulls(ClientSession session, int members) {
        return session.pulls() || delivery.large(members);
    }

    public void unsubscribe(ClientSession session, String channel) {
        synchronized (lock(channel)) {
            ChannelStream s = session.streams().remove(channel);
            if (s != null) {
                unfollow(channel, s);
            }
        }
    }

    /** A committed event from the log tail, in log order. */
    public void publish(ChannelEvent event) {
        String channel = event.getChannel();
        Delivery d = null; // rendered only if a local connection follows the channel: most events have none here
        List<ChannelStream> toCatchUp = null;
        synchronized (lock(channel)) {
            published.merge(channel, event.getSeq(), Math::max);
            List<Memberships.Change> changes = Memberships.of(event);
            boolean membership = !changes.isEmpty();
            if (membership) {
                // What waits goes first, to the followers of before the change; the change goes to everyone at once.
                toCatchUp = sendWaiting(channel, toCatchUp);
            }
            for (Memberships.Change change : changes) {
                if (!change.joined()) {
                    continue;
                }
                String joined = change.user();
                recent.record(joined, channel, event.getSeq(), true);
                for (ClientSession s : byUser.getOrDefault(joined, Set.of())) {
                    if (!s.streams().containsKey(channel)) {
                        ChannelStream stream = new ChannelStream(s, channel, event.getSeq() - 1, s.pulls());
                        s.streams().put(channel, stream);
                        follow(channel, stream);
                    }
                }
            }
            boolean batched = false;
            boolean pulled = false;
            for (ChannelStream stream : byChannel.getOrDefault(channel, Set.of())) {
                if (stream.pulls()) {
                    pulled = true;
                    continue;
                }
                if (d == null) {
                    d = new Delivery(channel, event.getSeq(), EventJson.kind(event), event.getActor().getUser(),
                            EventJson.render(event).toString());
                }
                if (!membership && stream.takesBatches()) {
                    batched = true;
                } else if (stream.offer(d)) {
                    toCatchUp = add(toCatchUp, stream);
                }
            }
            if (pulled) {
                ChannelHeads h = heads.computeIfAbsent(channel, c -> new ChannelHeads(delivery.pullInterval().toMillis()));
                if (h.window.ready() == BatchWindow.When.NOW) {
                    headsDueNow.add(channel);
                }
            }
            if (batched) {
                ChannelBatcher b = batchers.computeIfAbsent(channel, c -> new ChannelBatcher(delivery.batchWindow().toMillis()));
                b.waiting.add(d);
                if (b.window.ready() == BatchWindow.When.NOW) {
                    dueNow.add(channel);
                }
            }
            for (Memberships.Change left : changes) {
                if (left.joined()) {
                    continue;
                }
                recent.record(left.user(), channel, event.getSeq(), false);
                for (ClientSession s : byUser.getOrDefault(left.user(), Set.of())) {
                    ChannelStream stream = s.streams().remove(channel);
                    if (stream != null && stream.pulls() && stream.tell(event.getSeq())) {
                        s.send(Frames.head(channel, event.getSeq())); // its last head: it pulls up to its own leave
                    }
                    if (stream != null) {
                        unfollow(channel, stream);
                    }
                }
            }
        }
        if (toCatchUp != null) {
            toCatchUp.forEach(catchUp::schedule);
        }
    }

    /**
     * A committed event from the routed deliveries, which may repeat what went by (the router copies at least once):
     * published unless its seq is not beyond the channel's published head. A repeated join or leave applied again
     * would undo a later change of the same user.
     *
     * @return false if it was a repeat, and dropped
     */
    public boolean publishOnce(ChannelEvent event) {
        synchronized (lock(event.getChannel())) {
            if (event.getSeq() <= published.getOrDefault(event.getChannel(), 0L)) {
                return false;
            }
            publish(event); // the lock is reentrant: nothing of the channel comes in between
            return true;
        }
    }

    /**
     * The router now copies a channel's events to this gateway: the next ones follow, but those up to {@code head}
     * (committed before the route started) never come live. Every push stream below {@code head} catches up to it
     * (a running catch-up gets its target raised, so its {@code caught_up} waits for {@code head}); every pulling
     * stream is told the head; and {@code head} is the channel's published head from now on, the target of
     * later subscribes.
     */
    public void routeStarted(String channel, long head) {
        List<ChannelStream> toCatchUp = null;
        synchronized (lock(channel)) {
            published.merge(channel, head, Math::max);
            SharedFrame frame = null;
            for (ChannelStream stream : byChannel.getOrDefault(channel, Set.of())) {
                if (stream.pulls()) {
                    if (stream.tell(head)) {
                        if (frame == null) {
                            frame = new SharedFrame(Frames.head(channel, head));
                        }
                        stream.session().send(frame);
                    }
                } else if (stream.cursor() < head && stream.startCatchUp(head, false)) {
                    toCatchUp = add(toCatchUp, stream);
                }
            }
        }
        if (toCatchUp != null) {
            toCatchUp.forEach(catchUp::schedule);
        }
    }

    /**
     * The log tail finished handing over one read of the log: the waiting events of channels that were quiet go out
     * now, each channel's as one batch.
     */
    public void endOfRead() {
        if (!headsDueNow.isEmpty()) {
            for (String channel : List.copyOf(headsDueNow)) {
                headsDueNow.remove(channel);
                synchronized (lock(channel)) {
                    tellHeads(channel);
                }
            }
        }
        if (dueNow.isEmpty()) {
            return;
        }
        for (String channel : List.copyOf(dueNow)) {
            dueNow.remove(channel);
            List<ChannelStream> toCatchUp;
            synchronized (lock(channel)) {
                toCatchUp = sendWaiting(channel, null);
            }
            if (toCatchUp != null) {
                toCatchUp.forEach(catchUp::schedule);
            }
        }
    }

    /** The end of a channel's batch window: what waits goes out, or the window closes. */
    private void windowEnds(String channel) {
        List<ChannelStream> toCatchUp = null;
        synchronized (lock(channel)) {
            ChannelBatcher b = batchers.get(channel);
            if (b == null) {
                return;
            }
            b.wakeUpScheduled = false;
            long now = clock.getAsLong();
            if (b.window.ended(now)) {
                toCatchUp = sendWaiting(channel, null);
            } else if (b.window.isOpen()) {
                wakeUpAtWindowEnd(channel, b, now); // pushed back by a send since
            } else if (b.waiting.isEmpty()) {
                batchers.remove(channel); // quiet again: nothing kept for it
            }
        }
        if (toCatchUp != null) {
            toCatchUp.forEach(catchUp::schedule);
        }
    }

    /** Tells a channel's pulling followers its head, in one frame for all, and opens its interval. Under the channel's lock. */
    private void tellHeads(String channel) {
        ChannelHeads h = heads.get(channel);
        if (h == null) {
            return;
        }
        long head = published.getOrDefault(channel, 0L);
        SharedFrame frame = null;
        for (ChannelStream stream : byChannel.getOrDefault(channel, Set.of())) {
            if (stream.pulls() && stream.tell(head)) {
                if (frame == null) {
                    frame = new SharedFrame(Frames.head(channel, head));
                }
                stream.session().send(frame);
            }
        }
        long now = clock.getAsLong();
        h.window.sent(now);
        if (h.window.isOpen() && !h.wakeUpScheduled) {
            h.wakeUpScheduled = true;
            timer.schedule(() -> intervalEnds(channel), Math.max(0, h.window.endsAt() - now), TimeUnit.MILLISECONDS);
        }
    }

    /** The end of a channel's head interval: the head goes if it moved, or the interval closes. */
    private void intervalEnds(String channel) {
        synchronized (lock(channel)) {
            ChannelHeads h = heads.get(channel);
            if (h == null) {
                return;
            }
            h.wakeUpScheduled = false;
            long now = clock.getAsLong();
            if (h.window.ended(now)) {
                tellHeads(channel);
            } else if (h.window.isOpen()) {
                h.wakeUpScheduled = true;
                timer.schedule(() -> intervalEnds(channel), Math.max(0, h.window.endsAt() - now), TimeUnit.MILLISECONDS);
            } else {
                heads.remove(channel);
            }
        }
    }

    /** Sends a channel's waiting events to its batched followers and opens its window. Under the channel's lock. */
    private List<ChannelStream> sendWaiting(String channel, List<ChannelStream> toCatchUp) {
        ChannelBatcher b = batchers.get(channel);
        if (b == null || b.waiting.isEmpty()) {
            return toCatchUp;
        }
        List<Delivery> events = b.waiting;
        b.waiting = new ArrayList<>();
        long now = clock.getAsLong();
        b.window.sent(now);
        wakeUpAtWindowEnd(channel, b, now);
        List<Batch> batches = Batch.of(channel, events, delivery.batchMaxEvents(), delivery.batchMaxChars());
        for (ChannelStream stream : byChannel.getOrDefault(channel, Set.of())) {
            if (!stream.takesBatches()) {
                continue;
            }
            for (Batch batch : batches) {
                if (stream.offer(batch)) {
                    toCatchUp = add(toCatchUp, stream);
                }
            }
        }
        return toCatchUp;
    }

    private void wakeUpAtWindowEnd(String channel, ChannelBatcher b, long now) {
        if (b.window.isOpen() && !b.wakeUpScheduled) {
            b.wakeUpScheduled = true;
            timer.schedule(() -> windowEnds(channel), Math.max(0, b.window.endsAt() - now), TimeUnit.MILLISECONDS);
        }
    }

    private static List<ChannelStream> add(List<ChannelStream> list, ChannelStream stream) {
        List<ChannelStream> out = list == null ? new ArrayList<>() : list;
        if (!out.contains(stream)) {
            out.add(stream);
        }
        return out;
    }

    /**
     * A change of one user's own state from the user events tail: a read cursor goes to that user's connections
     * on this gateway, as a {@code read} frame, and to nobody else.
     */
    public void publish(UserEvent event) {
        if (!(event.getPayload() instanceof ReadCursorSet read)) {
            return; // a kind this gateway does not know yet
        }
        String frame = Frames.read(event.getChannel(), read.getUpTo());
        for (ClientSession s : byUser.getOrDefault(event.getUser(), Set.of())) {
            s.send(frame);
        }
    }

    /** The last seq of a channel this gateway's log tail published (committed), or {@code orElse} if none yet. */
    public long publishedHead(String channel, long orElse) {
        Long head = published.get(channel);
        return head == null ? orElse : head;
    }

    /** Membership changes of a user in the last minutes, for connections whose snapshot may predate them. */
    public RecentMemberships recent() {
        return recent;
    }

    /** The highest seq of the channel this gateway's log tail has published (0 if none since it started). */
    public long publishedHead(String channel) {
        return published.getOrDefault(channel, 0L);
    }

    public int connections() {
        return byUser.values().stream().mapToInt(Set::size).sum();
    }

    /** The local connections following a channel: its members' connections on this gateway. */
    public List<ClientSession> followers(String channel) {
        Set<ChannelStream> streams = byChannel.get(channel);
        if (streams == null) {
            return List.of();
        }
        List<ClientSession> out = new ArrayList<>(streams.size());
        streams.forEach(s -> out.add(s.session()));
        return out;
    }

    /** The channels a user's connections on this gateway follow, per connection: channel -> in pull mode. */
    public List<Map<String, Boolean>> deliveryOf(String user) {
        List<Map<String, Boolean>> out = new ArrayList<>();
        for (ClientSession s : byUser.getOrDefault(user, Set.of())) {
            Map<String, Boolean> modes = new java.util.TreeMap<>();
            s.streams().forEach((channel, stream) -> modes.put(channel, stream.pulls()));
            out.add(modes);
        }
        return out;
    }

    public int subscriptions(String channel) {
        return byChannel.getOrDefault(channel, Set.of()).size();
    }
}
