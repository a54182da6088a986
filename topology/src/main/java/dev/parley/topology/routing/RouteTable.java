package dev.parley.topology.routing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the router knows about one channel (docs/architecture.md "Routed fan-out"): the highest seq it has read and
 * the gateways that follow the channel, each with the incarnation that wrote its route and when the route expires.
 * Immutable; every decision returns the next table. No Kafka types: {@link RouterProcessor} is the edge around it.
 *
 * <p>The rules:
 * <ul>
 *   <li>a route of a gateway not in the table, or of a newer incarnation than the one held, is added and starts:
 *       the gateway gets a route-started marker with the table's head ({@link RouteOutcome#ADDED},
 *       {@link RouteOutcome#NEW_INCARNATION});</li>
 *   <li>a route of the incarnation held only moves its expiry ({@link RouteOutcome#REFRESHED}); one of an older
 *       incarnation, or one written so long ago that it expired a lease before the router read it (a leftover of a
 *       gateway that died, kept by compaction), changes nothing ({@link RouteOutcome#STALE});</li>
 *   <li>a tombstone removes the gateway's route, whatever its incarnation ({@link RouteOutcome#REMOVED});</li>
 *   <li>an event raises the head; an event that changes membership goes once to every gateway, any other to each
 *       gateway in the table (a duplicate too: the gateway drops what it has by seq);</li>
 *   <li>a route not refreshed by its expiry is dropped ({@link #expire}).</li>
 * </ul>
 * Expiry runs on the router's clock: a route expires {@code leaseMs} after the router last read it, so a gateway's
 * clock that differs from the router's does not cut its routes short.
 *
 * @param lastSeq the highest seq of the channel read (0 if none)
 * @param routes  gateway id -> its route, ordered by gateway id
 */
public record RouteTable(long lastSeq, SortedMap<String, Lease> routes) {

    /** The table of a channel the router knows nothing about. */
    public static final RouteTable EMPTY = new RouteTable(0, new TreeMap<>());

    /** One gateway's route: the incarnation that wrote it and when it expires (epoch ms, router clock). */
    public record Lease(long incarnation, long expiresAt) {
    }

    /** The next table after a route record, and what happened to the route. */
    public record RouteDecision(RouteTable table, RouteOutcome outcome) {

        /** Whether the gateway must now get a route-started marker with head {@code table.lastSeq()}. */
        public boolean started() {
            return outcome == RouteOutcome.ADDED || outcome == RouteOutcome.NEW_INCARNATION;
        }
    }

    /**
     * Where an event goes: once to every gateway ({@code everyGateway}, a membership change), or to each of
     * {@code gateways} (in gateway id order; empty when nobody follows the channel).
     */
    public record Fanout(RouteTable table, boolean everyGateway, List<String> gateways) {
    }

    /** The next table after dropping the expired routes, and the gateways whose routes expired. */
    public record Expiry(RouteTable table, List<String> expired) {
    }

    public RouteTable {
        routes = Collections.unmodifiableSortedMap(new TreeMap<>(routes));
    }

    /**
     * A route record of {@code gateway}: written at {@code writtenAt} (the gateway's clock) with a lease of
     * {@code leaseMs}, read by the router at {@code now}.
     */
    public RouteDecision route(String gateway, long incarnation, long writtenAt, long leaseMs, long now) {
        Lease held = routes.get(gateway);
        if (writtenAt + 2 * leaseMs < now) {
            return new RouteDecision(this, RouteOutcome.STALE);
        }
        if (held != null && incarnation < held.incarnation()) {
            return new RouteDecision(this, RouteOutcome.STALE);
        }
        Lease lease = new Lease(incarnation, now + leaseMs);
        RouteOutcome outcome;
        if (held == null) {
            outcome = RouteOutcome.ADDED;
        } else if (incarnation > held.incarnation()) {
            outcome = RouteOutcome.NEW_INCARNATION;
        } else {
            outcome = RouteOutcome.REFRESHED;
            lease = new Lease(incarnation, Math.max(held.expiresAt(), lease.expiresAt()));
        }
        TreeMap<String, Lease> next = new TreeMap<>(routes);
        next.put(gateway, lease);
        return new RouteDecision(new RouteTable(lastSeq, next), outcome);
    }

    /** A tombstone of {@code gateway}'s route. */
    public RouteDecision remove(String gateway) {
        if (!routes.containsKey(gateway)) {
            return new RouteDecision(this, RouteOutcome.ABSENT);
        }
        TreeMap<String, Lease> next = new TreeMap<>(routes);
        next.remove(gateway);
        return new RouteDecision(new RouteTable(lastSeq, next), RouteOutcome.REMOVED);
    }

    /** A committed event of the channel with {@code seq}; {@code changesMembership}: someone joins or leaves with it. */
    public Fanout event(long seq, boolean changesMembership) {
        RouteTable next = seq > lastSeq ? new RouteTable(seq, routes) : this;
        if (changesMembership) {
            return new Fanout(next, true, List.of());
        }
        return new Fanout(next, false, List.copyOf(routes.keySet()));
    }

    /** Drops every route that expired at or before {@code now}. */
    public Expiry expire(long now) {
        List<String> expired = new ArrayList<>();
        routes.forEach((gateway, lease) -> {
            if (lease.expiresAt() <= now) {
                expired.add(gateway);
            }
        });
        if (expired.isEmpty()) {
            return new Expiry(this, List.of());
        }
        TreeMap<String, Lease> next = new TreeMap<>(routes);
        expired.forEach(next::remove);
        return new Expiry(new RouteTable(lastSeq, next), List.copyOf(expired));
    }

    /** Whether the table says nothing worth keeping beyond the head. */
    public boolean hasRoutes() {
        return !routes.isEmpty();
    }
}
