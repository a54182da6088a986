package dev.parley.topology.routing;

import dev.parley.schemas.config.Env;
import java.time.Duration;

/**
 * Settings of the router that runs inside a topology process (docs/operations.md "Router"). Its application id is
 * the topology's plus {@code -router}; its state lives in the topology's state dir, under that id.
 *
 * @param enabled        run the router ({@code PARLEY_ROUTER_ENABLED}, true); gateways in routed mode need one
 * @param threads        {@code num.stream.threads} ({@code PARLEY_ROUTER_THREADS}, 1)
 * @param commitInterval {@code commit.interval.ms} ({@code PARLEY_ROUTER_COMMIT_INTERVAL}, 1s; at-least-once, so it
 *                       bounds what a restarted router copies again, not the latency of a copy)
 * @param expiryInterval how often routes whose lease ran out are dropped ({@code PARLEY_ROUTER_EXPIRY_INTERVAL}, 5s)
 */
public record RouterConfig(boolean enabled, int threads, Duration commitInterval, Duration expiryInterval) {

    public static RouterConfig fromEnv(Env env) {
        return new RouterConfig(
                env.bool("PARLEY_ROUTER_ENABLED", true),
                env.integer("PARLEY_ROUTER_THREADS", 1),
                env.duration("PARLEY_ROUTER_COMMIT_INTERVAL", Duration.ofSeconds(1)),
                env.duration("PARLEY_ROUTER_EXPIRY_INTERVAL", Duration.ofSeconds(5)));
    }

    /** The router's Streams application id, from the topology's. */
    public static String applicationId(String topologyApplicationId) {
        return topologyApplicationId + "-router";
    }
}
