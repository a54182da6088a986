package dev.parley.gateway.routing;

import dev.parley.schemas.config.Env;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * How committed events reach this gateway (docs/operations.md, docs/architecture.md).
 *
 * @param mode   {@code tail}: the gateway reads every partition of the committed log; {@code routed}: it writes a route
 *               for each channel its connections follow and reads only its own partition of the deliveries, where the
 *               router copies those channels' events ({@code PARLEY_FANOUT}, tail)
 * @param lease  a route not written again within this time expires at the router (a gateway that died); the gateway
 *               rewrites each of its routes every third of it ({@code PARLEY_ROUTE_LEASE}, 60s)
 * @param linger how long a route stays after the channel's last local follower left, so a quick return (a reconnect,
 *               a page reload) does not start it again ({@code PARLEY_ROUTE_LINGER}, 30s; 0 removes it at once)
 */
public record FanoutConfig(Mode mode, Duration lease, Duration linger) {

    /** Where the gateway's live events come from. */
    public enum Mode { TAIL, ROUTED }

    public FanoutConfig {
        if (mode == null) {
            throw new IllegalArgumentException("PARLEY_FANOUT must be tail or routed");
        }
        if (lease.compareTo(Duration.ofSeconds(3)) < 0 || lease.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("PARLEY_ROUTE_LEASE must be between 3s and 24d, got " + lease);
        }
        if (linger.isNegative() || linger.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("PARLEY_ROUTE_LINGER must be between 0 and 1d, got " + linger);
        }
    }

    public static FanoutConfig defaults() {
        return fromEnv(Env.of(Map.of()));
    }

    public static FanoutConfig fromEnv(Env env) {
        return new FanoutConfig(
                mode(env.str("PARLEY_FANOUT", "tail")),
                env.duration("PARLEY_ROUTE_LEASE", Duration.ofSeconds(60)),
                env.duration("PARLEY_ROUTE_LINGER", Duration.ofSeconds(30)));
    }

    private static Mode mode(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "tail" -> Mode.TAIL;
            case "routed" -> Mode.ROUTED;
            default -> throw new IllegalArgumentException("PARLEY_FANOUT must be tail or routed, got " + value);
        };
    }

    public boolean routed() {
        return mode == Mode.ROUTED;
    }

    /** How often each held route is written again: a third of the lease, so two writes may be lost before it expires. */
    public Duration refresh() {
        return lease.dividedBy(3);
    }
}
