package dev.parley.gateway.presence;

import dev.parley.schemas.config.Env;
import java.time.Duration;

/**
 * Settings of the ephemeral path: the connection registry, user presence and typing indicators
 * (docs/operations.md lists them).
 *
 * @param heartbeat      how often the gateway says it is alive in the registry ({@code PARLEY_PRESENCE_HEARTBEAT}, 3s)
 * @param gatewayTimeout a gateway not heard from for longer counts as dead: its users go offline
 *                       ({@code PARLEY_PRESENCE_TIMEOUT}, 15s)
 * @param offlineGrace   how long after a user's last device disconnects the gateway waits before removing the
 *                       user's entry: a reconnect within it, here or elsewhere, is no offline ({@code PARLEY_PRESENCE_GRACE}, 5s)
 * @param debounce       how long an observer's gateway holds an {@code offline} before sending it: an online within
 *                       it cancels it ({@code PARLEY_PRESENCE_DEBOUNCE}, 2s)
 * @param idleAfter      a connection without client frames for longer is idle: a user whose devices are all idle
 *                       or set away is {@code away} ({@code PARLEY_PRESENCE_IDLE_AFTER}, 10m)
 * @param maxWatched     users one connection may watch ({@code PARLEY_PRESENCE_MAX_WATCHED}, 500)
 * @param forgetAfter    how long the registry keeps the lastSeen of offline users ({@code PARLEY_PRESENCE_FORGET_AFTER}, 24h)
 * @param typingTtl      how long a typing indicator lasts unless refreshed ({@code PARLEY_TYPING_TTL}, 5s)
 * @param typingInterval at most one typing frame per channel per connection in this time; more are dropped
 *                       ({@code PARLEY_TYPING_INTERVAL}, 3s)
 */
public record PresenceConfig(Duration heartbeat, Duration gatewayTimeout, Duration offlineGrace, Duration debounce,
                             Duration idleAfter, int maxWatched, Duration forgetAfter, Duration typingTtl,
                             Duration typingInterval) {

    public PresenceConfig {
        if (gatewayTimeout.compareTo(heartbeat.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("PARLEY_PRESENCE_TIMEOUT (" + gatewayTimeout + ") must be at least twice "
                    + "PARLEY_PRESENCE_HEARTBEAT (" + heartbeat + "), or live gateways would look dead");
        }
        if (maxWatched < 0) {
            throw new IllegalArgumentException("PARLEY_PRESENCE_MAX_WATCHED must be >= 0, got " + maxWatched);
        }
    }

    public static PresenceConfig defaults() {
        return fromEnv(Env.of(java.util.Map.of()));
    }

    public static PresenceConfig fromEnv(Env env) {
        return new PresenceConfig(
                env.duration("PARLEY_PRESENCE_HEARTBEAT", Duration.ofSeconds(3)),
                env.duration("PARLEY_PRESENCE_TIMEOUT", Duration.ofSeconds(15)),
                env.duration("PARLEY_PRESENCE_GRACE", Duration.ofSeconds(5)),
                env.duration("PARLEY_PRESENCE_DEBOUNCE", Duration.ofSeconds(2)),
                env.duration("PARLEY_PRESENCE_IDLE_AFTER", Duration.ofMinutes(10)),
                env.integer("PARLEY_PRESENCE_MAX_WATCHED", 500),
                env.duration("PARLEY_PRESENCE_FORGET_AFTER", Duration.ofHours(24)),
                env.duration("PARLEY_TYPING_TTL", Duration.ofSeconds(5)),
                env.duration("PARLEY_TYPING_INTERVAL", Duration.ofSeconds(3)));
    }
}
