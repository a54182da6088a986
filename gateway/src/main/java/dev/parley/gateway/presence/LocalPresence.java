package dev.parley.gateway.presence;

import dev.parley.api.presence.PresenceStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The users this gateway holds, and what it must write to the connection registry about them: an entry when a
 * user's device count or status changes, a removal once the user's last device has been gone for the grace
 * period (a reconnect within it, here or on another gateway, is no offline for anyone). Idle connections make a
 * user away. Pure: no Kafka, no clock; the caller says what time it is.
 *
 * <p>Threading: {@link #activity} may be called from any thread (it only stamps the connection); every other
 * method from one thread, in order, whose writes are sent in the order returned.
 */
public final class LocalPresence {

    /** What to write to the registry. */
    public sealed interface Write permits Put, Remove {
        String user();
    }

    /** The user's entry of this gateway. */
    public record Put(String user, int devices, PresenceStatus status, long lastActiveAt) implements Write {
    }

    /** The user has no device here any more. */
    public record Remove(String user) implements Write {
    }

    private static final class Connection {
        final String user;
        final String device;
        boolean away;
        volatile long lastActivity;

        Connection(String user, String device, long now) {
            this.user = user;
            this.device = device;
            this.lastActivity = now;
        }
    }

    private static final class User {
        final Set<Connection> connections = new HashSet<>();
        Put written;
        long goneSince = -1;
    }

    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final Map<String, User> users = new HashMap<>();
    private final long idleMs;
    private final long graceMs;

    public LocalPresence(java.time.Duration idleAfter, java.time.Duration offlineGrace) {
        this.idleMs = idleAfter.toMillis();
        this.graceMs = offlineGrace.toMillis();
    }

    public List<Write> connected(String connection, String user, String device, long now) {
        Connection c = new Connection(user, device, now);
        connections.put(connection, c);
        User u = users.computeIfAbsent(user, x -> new User());
        u.connections.add(c);
        return reconcile(user, u, now);
    }

    public List<Write> disconnected(String connection, long now) {
        Connection c = connections.remove(connection);
        if (c == null) {
            return List.of();
        }
        User u = users.get(c.user);
        u.connections.remove(c);
        return reconcile(c.user, u, now);
    }

    /** The client set its status: away until it says online again (activity does not end it). */
    public List<Write> setAway(String connection, boolean away, long now) {
        Connection c = connections.get(connection);
        if (c == null) {
            return List.of();
        }
        c.away = away;
        if (!away) {
            c.lastActivity = now;
        }
        return reconcile(c.user, users.get(c.user), now);
    }

    /** The client sent a frame: it is not idle. Any thread. */
    public void activity(String connection, long now) {
        Connection c = connections.get(connection);
        if (c != null) {
            c.lastActivity = now;
        }
    }

    /** Idle transitions, and removals of users whose grace ran out. Call every second or so. */
    public List<Write> tick(long now) {
        List<Write> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, User>> it = users.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, User> e = it.next();
            User u = e.getValue();
            if (u.connections.isEmpty()) {
                if (u.written == null || now - u.goneSince >= graceMs) {
                    if (u.written != null) {
                        out.add(new Remove(e.getKey()));
                    }
                    it.remove();
                }
            } else {
                out.addAll(reconcile(e.getKey(), u, now));
            }
        }
        return out;
    }

    /** A write about the user failed: what to write now instead (the current state). */
    public List<Write> retry(String user, long now) {
        User u = users.get(user);
        if (u == null) {
            return List.of(new Remove(user));
        }
        if (u.connections.isEmpty()) {
            return List.of(); // the removal is still to come, after the grace
        }
        u.written = null;
        return reconcile(user, u, now);
    }

    /** A clean stop: every entry this gateway wrote, to remove at once. */
    public List<Remove> stop() {
        List<Remove> out = new ArrayList<>();
        users.forEach((user, u) -> {
            if (u.written != null) {
                out.add(new Remove(user));
            }
        });
        users.clear();
        connections.clear();
        return out;
    }

    /** Users with at least one connection here. */
    public int users() {
        int n = 0;
        for (User u : users.values()) {
            n += u.connections.isEmpty() ? 0 : 1;
        }
        return n;
    }

    public int connections() {
        return connections.size();
    }

    private List<Write> reconcile(String user, User u, long now) {
        if (u.connections.isEmpty()) {
            if (u.goneSince < 0) {
                u.goneSince = now;
            }
            return List.of();
        }
        u.goneSince = -1;
        Set<String> devices = new HashSet<>();
        boolean active = false;
        long last = Long.MIN_VALUE;
        for (Connection c : u.connections) {
            devices.add(c.device);
            long activity = c.lastActivity;
            active |= !c.away && now - activity < idleMs;
            last = Math.max(last, activity);
        }
        PresenceStatus status = active ? PresenceStatus.ONLINE : PresenceStatus.AWAY;
        if (u.written != null && u.written.devices() == devices.size() && u.written.status() == status) {
            return List.of();
        }
        u.written = new Put(user, devices.size(), status, last);
        return List.of(u.written);
    }
}
