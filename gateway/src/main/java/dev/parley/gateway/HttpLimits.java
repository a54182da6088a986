package dev.parley.gateway;

import dev.parley.schemas.config.Env;
import java.time.Duration;

/**
 * Limits of the gateway's HTTP server against slow or greedy clients (docs/operations.md, docs/security.md).
 *
 * @param maxBodyBytes       largest REST request body; larger gets 413 {@code too_large} ({@code PARLEY_MAX_BODY_BYTES}, 256 KiB)
 * @param headerTimeout      a new connection must have sent a whole request head within this, or it is closed: a
 *                           client trickling header lines cannot hold it ({@code PARLEY_HTTP_HEADER_TIMEOUT}, 10s)
 * @param idleTimeout        an HTTP connection with no traffic for this long is closed ({@code PARLEY_HTTP_IDLE_TIMEOUT}, 30s;
 *                           WebSocket connections have their own 5 min and ping/pong)
 * @param maxConnectionsPerIp open connections per client address; more are closed at once ({@code PARLEY_MAX_CONNECTIONS_PER_IP}, 1000)
 * @param maxConnections     open connections in all; at the limit the gateway stops accepting until one closes ({@code PARLEY_MAX_CONNECTIONS}, 20000)
 */
public record HttpLimits(int maxBodyBytes, Duration headerTimeout, Duration idleTimeout, int maxConnectionsPerIp,
                         int maxConnections) {

    public static HttpLimits fromEnv(Env env) {
        return new HttpLimits(
                env.integer("PARLEY_MAX_BODY_BYTES", 256 * 1024),
                env.duration("PARLEY_HTTP_HEADER_TIMEOUT", Duration.ofSeconds(10)),
                env.duration("PARLEY_HTTP_IDLE_TIMEOUT", Duration.ofSeconds(30)),
                env.integer("PARLEY_MAX_CONNECTIONS_PER_IP", 1000),
                env.integer("PARLEY_MAX_CONNECTIONS", 20_000));
    }
}
