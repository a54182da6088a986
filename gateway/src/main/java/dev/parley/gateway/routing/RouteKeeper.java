package dev.parley.gateway.routing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Which routes this gateway holds, and which writes of them are due. The hub says when a channel gains its first local
 * follower and loses its last; time passes through {@link #due(long)}. The rules:
 * <ul>
 *   <li>first follower of a channel with no route: write the route;</li>
 *   <li>last follower gone: the route lingers, and is removed (a tombstone) {@code linger} later unless a follower
 *       comes back first, which keeps it as it is (the router never stopped copying the channel here);</li>
 *   <li>every held route, lingering ones included, is written again each {@code refresh} (a third of the lease), and
 *       at the next {@link #due(long)} after a write of it failed;</li>
 *   <li>on a clean stop every held route is removed.</li>
 * </ul>
 * Pure and confined to one thread (the caller's): no Kafka, no clock of its own ({@code now} is milliseconds of any
 * monotonic clock).
 */
public final class RouteKeeper {

    private static final long NOT_LINGERING = Long.MAX_VALUE;

    private final long refreshMillis;
    private final long lingerMillis;
    private final Map<String, Route> routes = new LinkedHashMap<>();

    /** One held route: when it was last written, and when it goes if it lingers. */
    private static final class Route {
        long writtenAt;
        long removeAt = NOT_LINGERING;

        Route(long writtenAt) {
            this.writtenAt = writtenAt;
        }

        boolean lingers() {
            return removeAt != NOT_LINGERING;
        }
    }

    public RouteKeeper(long refreshMillis, long lingerMillis) {
        if (refreshMillis <= 0 || lingerMillis < 0) {
            throw new IllegalArgumentException("refresh must be > 0 and linger >= 0");
        }
        this.refreshMillis = refreshMillis;
        this.lingerMillis = lingerMillis;
    }

    public static RouteKeeper of(FanoutConfig config) {
        return new RouteKeeper(config.refresh().toMillis(), config.linger().toMillis());
    }

    /** A channel gained its first local follower. */
    public List<RouteWrite> followed(String channel, long now) {
        Route r = routes.get(channel);
        if (r == null) {
            routes.put(channel, new Route(now));
            return List.of(new RouteWrite.Put(channel));
        }
        r.removeAt = NOT_LINGERING; // back within the linger (or told twice): the route stays as it is
        return List.of();
    }

    /** A channel lost its last local follower. */
    public List<RouteWrite> unfollowed(String channel, long now) {
        Route r = routes.get(channel);
        if (r == null || r.lingers()) {
            return List.of();
        }
        if (lingerMillis == 0) {
            routes.remove(channel);
            return List.of(new RouteWrite.Remove(channel));
        }
        r.removeAt = now + lingerMillis;
        return List.of();
    }

    /** The writes due at {@code now}: removals of routes whose linger ended, refreshes of the others. */
    public List<RouteWrite> due(long now) {
        List<RouteWrite> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, Route>> it = routes.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Route> e = it.next();
            Route r = e.getValue();
            if (now >= r.removeAt) {
                it.remove();
                out.add(new RouteWrite.Remove(e.getKey()));
            } else if (now - r.writtenAt >= refreshMillis) {
                r.writtenAt = now;
                out.add(new RouteWrite.Put(e.getKey()));
            }
        }
        return out;
    }

    /** A write of the channel's route did not reach Kafka: it is written again at the next {@link #due(long)} if still held. */
    public void putFailed(String channel) {
        Route r = routes.get(channel);
        if (r != null) {
            r.writtenAt = Long.MIN_VALUE / 2;
        }
    }

    /** A clean stop: every held route is removed. */
    public List<RouteWrite> stop() {
        List<RouteWrite> out = new ArrayList<>(routes.size());
        routes.keySet().forEach(c -> out.add(new RouteWrite.Remove(c)));
        routes.clear();
        return out;
    }

    /** Routes held, lingering ones included. */
    public int routes() {
        return routes.size();
    }

    /** Routes held whose channel has no local follower any more. */
    public int lingering() {
        return (int) routes.values().stream().filter(Route::lingers).count();
    }
}
