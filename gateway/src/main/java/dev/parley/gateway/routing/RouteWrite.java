package dev.parley.gateway.routing;

/** A write to the routes topic that the {@link RouteKeeper} found due. */
public sealed interface RouteWrite {

    String channel();

    /** Write (or write again) this gateway's route of the channel: the router copies its events here. */
    record Put(String channel) implements RouteWrite {
    }

    /** Remove this gateway's route of the channel (a tombstone): the router stops copying its events here. */
    record Remove(String channel) implements RouteWrite {
    }
}
