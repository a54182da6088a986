package dev.parley.api.presence;

import dev.parley.avro.presence.PresenceRecord;
import dev.parley.avro.presence.UserConnections;
import dev.parley.avro.presence.UserStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The read model of the connection registry topic: "is user U online, on which gateways, with how many devices".
 * Any service builds it by applying the topic's records in partition order ({@link RegistryTail} does) and calling
 * {@link #expire} every second or so. No Kafka types and no clock of its own: every call says what time it is.
 *
 * <p>Rules (docs/architecture.md, "The ephemeral path"):
 * <ul>
 *   <li>An entry counts only while its gateway is alive: heard from (heartbeat or any record of its current
 *       incarnation, by the gateway's own timestamps) within {@code gatewayTimeout}, and not stopped.</li>
 *   <li>A record of a newer incarnation of a gateway id supersedes everything of the older ones: their entries stop
 *       counting at once, and their late records are ignored.</li>
 *   <li>A heartbeat tombstone in a partition says the incarnation last seen in that partition stopped cleanly: its
 *       entries stop counting at once (their own tombstones may still be on the way in other partitions).</li>
 *   <li>A user goes offline when the last counting entry goes; {@code lastSeen} is then when that happened (the
 *       tombstone's timestamp, or the dead gateway's last sign of life) and is kept for {@code forgetAfter}.</li>
 * </ul>
 * Thread-safe: one thread applies, any thread queries.
 */
public final class ConnectionRegistry {

    private static final class Gateway {
        final String id;
        long incarnation = Long.MIN_VALUE;
        long lastSeen;
        boolean alive;
        long stoppedIncarnation = Long.MIN_VALUE;
        final Map<Integer, Long> incarnationByPartition = new HashMap<>();
        final Set<String> users = new HashSet<>();

        Gateway(String id) {
            this.id = id;
        }
    }

    private record Entry(long incarnation, int devices, PresenceStatus status, long lastActiveAt) {
    }

    private final long timeoutMs;
    private final long forgetMs;
    private final Map<String, Gateway> gateways = new HashMap<>();
    private final Map<String, Map<String, Entry>> entries = new HashMap<>();
    private final Map<String, Long> lastSeen = new HashMap<>();

    /**
     * @param gatewayTimeout a gateway not heard from for longer is dead: its users count offline
     * @param forgetAfter    how long the lastSeen of offline users (and dead gateways' state) is kept
     */
    public ConnectionRegistry(Duration gatewayTimeout, Duration forgetAfter) {
        this.timeoutMs = gatewayTimeout.toMillis();
        this.forgetMs = forgetAfter.toMillis();
    }

    /** Collects the presence of the users an operation touches, before it, to report what changed after it. */
    private final class Changes {
        final Map<String, UserPresence> before = new LinkedHashMap<>();
        long offlineAt;

        void touch(String user) {
            before.computeIfAbsent(user, ConnectionRegistry.this::current);
        }

        List<PresenceChange> result() {
            if (before.isEmpty()) {
                return List.of();
            }
            List<PresenceChange> out = new ArrayList<>();
            before.forEach((user, was) -> {
                UserPresence now = current(user);
                if (was.isOnline() && !now.isOnline()) {
                    lastSeen.put(user, offlineAt);
                    now = UserPresence.offline(user, offlineAt);
                } else if (now.isOnline()) {
                    lastSeen.remove(user);
                }
                if (!was.sameAs(now)) {
                    out.add(new PresenceChange(was, now));
                }
            });
            return out;
        }
    }

    /**
     * Applies one record of the topic.
     *
     * @param value           null for a tombstone
     * @param recordTimestamp the record's timestamp (when a tombstone was written)
     * @param now             the reader's clock, epoch ms
     */
    public synchronized List<PresenceChange> apply(int partition, String key, PresenceRecord value, long recordTimestamp, long now) {
        PresenceKeys.Key k = PresenceKeys.parse(key);
        Changes changes = new Changes();
        changes.offlineAt = recordTimestamp;
        if (value == null) {
            if (k.isHeartbeat()) {
                stopped(partition, k.gateway(), changes);
            } else {
                removeEntry(k.user(), k.gateway(), changes);
            }
            return changes.result();
        }
        Gateway g = gateways.computeIfAbsent(k.gateway(), Gateway::new);
        long incarnation = value.getIncarnation();
        if (incarnation <= g.stoppedIncarnation || incarnation < g.incarnation) {
            return List.of(); // a late record of a stopped or superseded incarnation
        }
        long written = value.getTimestamp().toEpochMilli();
        if (incarnation > g.incarnation) {
            supersede(g, incarnation, written, changes);
        }
        g.lastSeen = Math.max(g.lastSeen, written);
        if (!g.alive && now - g.lastSeen <= timeoutMs) {
            g.users.forEach(changes::touch);
            g.alive = true;
        }
        if (k.isHeartbeat()) {
            g.incarnationByPartition.put(partition, incarnation);
        } else if (value.getBody() instanceof UserConnections u) {
            changes.touch(k.user());
            PresenceStatus status = u.getStatus() == UserStatus.AWAY ? PresenceStatus.AWAY : PresenceStatus.ONLINE;
            entries.computeIfAbsent(k.user(), x -> new HashMap<>())
                    .put(g.id, new Entry(incarnation, u.getDevices(), status, u.getLastActiveAt().toEpochMilli()));
            g.users.add(k.user());
        }
        return changes.result();
    }

    /** Gateways not heard from within the timeout die: their users count offline. Call every second or so. */
    public synchronized List<PresenceChange> expire(long now) {
        List<PresenceChange> out = new ArrayList<>();
        for (Iterator<Gateway> it = gateways.values().iterator(); it.hasNext(); ) {
            Gateway g = it.next();
            if (g.alive && now - g.lastSeen > timeoutMs) {
                Changes changes = new Changes();
                changes.offlineAt = g.lastSeen;
                g.users.forEach(changes::touch);
                g.alive = false;
                out.addAll(changes.result());
            }
            if (!g.alive && now - g.lastSeen > forgetMs) {
                for (String user : g.users) {
                    Map<String, Entry> es = entries.get(user);
                    if (es != null && es.remove(g.id) != null && es.isEmpty()) {
                        entries.remove(user);
                    }
                }
                it.remove();
            }
        }
        lastSeen.values().removeIf(t -> now - t > forgetMs);
        return out;
    }

    public synchronized UserPresence presenceOf(String user) {
        return current(user);
    }

    public synchronized Map<String, UserPresence> presenceOf(Collection<String> users) {
        Map<String, UserPresence> out = new LinkedHashMap<>();
        for (String u : users) {
            out.put(u, current(u));
        }
        return out;
    }

    /** Users with an entry of the gateway's latest incarnation (whether or not it is alive). */
    public synchronized Set<String> usersOf(String gateway) {
        Gateway g = gateways.get(gateway);
        return g == null ? Set.of() : Set.copyOf(g.users);
    }

    public synchronized List<GatewayView> gateways() {
        return gateways.values().stream()
                .map(g -> new GatewayView(g.id, g.incarnation, g.lastSeen, g.alive, g.stoppedIncarnation == g.incarnation,
                        g.users.size()))
                .sorted(java.util.Comparator.comparing(GatewayView::gateway)).toList();
    }

    private UserPresence current(String user) {
        Map<String, Entry> es = entries.get(user);
        if (es != null) {
            int devices = 0;
            boolean active = false;
            long last = Long.MIN_VALUE;
            Map<String, Integer> on = new TreeMap<>();
            for (Map.Entry<String, Entry> e : es.entrySet()) {
                Gateway g = gateways.get(e.getKey());
                Entry entry = e.getValue();
                if (g == null || !g.alive || entry.incarnation() != g.incarnation) {
                    continue;
                }
                devices += entry.devices();
                active |= entry.status() == PresenceStatus.ONLINE;
                last = Math.max(last, entry.lastActiveAt());
                on.put(g.id, entry.devices());
            }
            if (!on.isEmpty()) {
                return new UserPresence(user, active ? PresenceStatus.ONLINE : PresenceStatus.AWAY, devices, Map.copyOf(on), last);
            }
        }
        return UserPresence.offline(user, lastSeen.get(user));
    }

    private void supersede(Gateway g, long incarnation, long written, Changes changes) {
        dropEntries(g, changes);
        changes.offlineAt = written;
        g.incarnation = incarnation;
        g.lastSeen = written;
        g.alive = false;
    }

    private void stopped(int partition, String gateway, Changes changes) {
        Gateway g = gateways.get(gateway);
        Long incarnation = g == null ? null : g.incarnationByPartition.get(partition);
        if (incarnation == null) {
            return;
        }
        g.stoppedIncarnation = Math.max(g.stoppedIncarnation, incarnation);
        if (incarnation == g.incarnation) {
            dropEntries(g, changes);
            g.alive = false;
        }
    }

    private void dropEntries(Gateway g, Changes changes) {
        for (String user : g.users) {
            changes.touch(user);
            Map<String, Entry> es = entries.get(user);
            if (es != null && es.remove(g.id) != null && es.isEmpty()) {
                entries.remove(user);
            }
        }
        g.users.clear();
    }

    private void removeEntry(String user, String gateway, Changes changes) {
        Map<String, Entry> es = entries.get(user);
        if (es == null || !es.containsKey(gateway)) {
            return;
        }
        changes.touch(user);
        es.remove(gateway);
        if (es.isEmpty()) {
            entries.remove(user);
        }
        Gateway g = gateways.get(gateway);
        if (g != null) {
            g.users.remove(user);
        }
    }
}
