package dev.parley.gateway.hub;

import dev.parley.schemas.config.Env;
import java.time.Duration;

/**
 * How live events reach connections: batching for those that negotiated it in their {@code hello}, pull mode for
 * large channels and for connections that ask (docs/operations.md).
 *
 * @param batchWindow    after a channel's events went out, how long later events of that channel wait to go out
 *                       together as one {@code events} frame; an event of a quiet channel goes at once
 *                       ({@code PARLEY_BATCH_WINDOW}, 25ms; 0 batches only the events of one read of the log)
 * @param batchMaxEvents events in one {@code events} frame at most; more go in several ({@code PARLEY_BATCH_MAX_EVENTS}, 256)
 * @param batchMaxChars  characters of one {@code events} frame at most, below the 64 KiB message limit many WebSocket
 *                       clients default to; an event larger alone goes as an {@code event} frame
 *                       ({@code PARLEY_BATCH_MAX_CHARS}, 60000)
 * @param pullMembers    a channel with more members is followed in pull mode: {@code head} frames instead of events
 *                       ({@code PARLEY_PULL_MEMBERS}, 5000)
 * @param pullInterval   at most one {@code head} frame per channel per connection in this time
 *                       ({@code PARLEY_PULL_INTERVAL}, 1s)
 */
public record DeliveryConfig(Duration batchWindow, int batchMaxEvents, int batchMaxChars, int pullMembers, Duration pullInterval) {

    public DeliveryConfig {
        if (batchWindow.isNegative() || batchWindow.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("PARLEY_BATCH_WINDOW must be between 0 and 1s, got " + batchWindow);
        }
        if (batchMaxEvents < 1) {
            throw new IllegalArgumentException("PARLEY_BATCH_MAX_EVENTS must be >= 1, got " + batchMaxEvents);
        }
        if (batchMaxChars < 1_024) {
            throw new IllegalArgumentException("PARLEY_BATCH_MAX_CHARS must be >= 1024, got " + batchMaxChars);
        }
        if (pullMembers < 0) {
            throw new IllegalArgumentException("PARLEY_PULL_MEMBERS must be >= 0, got " + pullMembers);
        }
        if (pullInterval.isNegative()) {
            throw new IllegalArgumentException("PARLEY_PULL_INTERVAL must be >= 0, got " + pullInterval);
        }
    }

    public static DeliveryConfig defaults() {
        return fromEnv(Env.of(java.util.Map.of()));
    }

    public static DeliveryConfig fromEnv(Env env) {
        return new DeliveryConfig(
                env.duration("PARLEY_BATCH_WINDOW", Duration.ofMillis(25)),
                env.integer("PARLEY_BATCH_MAX_EVENTS", 256),
                env.integer("PARLEY_BATCH_MAX_CHARS", 60_000),
                env.integer("PARLEY_PULL_MEMBERS", 5_000),
                env.duration("PARLEY_PULL_INTERVAL", Duration.ofSeconds(1)));
    }

    /** Whether a channel of that many members is followed in pull mode. */
    public boolean large(int members) {
        return members > pullMembers;
    }
}
