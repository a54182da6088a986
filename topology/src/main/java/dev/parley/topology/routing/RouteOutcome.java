package dev.parley.topology.routing;

/** What a route record or a tombstone did to a channel's {@link RouteTable}. */
public enum RouteOutcome {
    /** A gateway not in the table now follows the channel: it gets a route-started marker. */
    ADDED,
    /** The gateway restarted (a newer incarnation): its route starts again, with a new marker. */
    NEW_INCARNATION,
    /** The same incarnation wrote the route again: only its expiry moves. */
    REFRESHED,
    /** An older incarnation's route, or a leftover written more than a lease before it could still hold: ignored. */
    STALE,
    /** A tombstone removed the gateway's route. */
    REMOVED,
    /** A tombstone for a gateway not in the table: nothing to do. */
    ABSENT
}
