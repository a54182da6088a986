package dev.parley.gateway.admission;

import dev.parley.schemas.config.Env;
import java.time.Duration;

/**
 * Admission settings (docs/operations.md "Admission"). Rates are token buckets, {@code "PER_SECOND,BURST"} or
 * {@code "off"}.
 *
 * @param userSends            sends per user on this gateway, all its connections and REST together ({@code PARLEY_RATE_USER_SENDS}, 10,50)
 * @param userOthers           every other request per user ({@code PARLEY_RATE_USER_REQUESTS}, 20,100)
 * @param connectionSends      sends per connection ({@code PARLEY_RATE_CONNECTION_SENDS}, 10,50)
 * @param connectionOthers     other requests per connection ({@code PARLEY_RATE_CONNECTION_REQUESTS}, 20,100)
 * @param maxInFlightPerConnection frames of one connection being worked on before the gateway stops reading it ({@code PARLEY_MAX_INFLIGHT_PER_CONNECTION}, 64)
 * @param maxInFlight          commands of this gateway waiting for their result before new ones get {@code overloaded} ({@code PARLEY_MAX_INFLIGHT}, 10000)
 * @param shedAfter            when the oldest command waiting for its result is older than this, new commands get {@code overloaded} ({@code PARLEY_SHED_AFTER}, 3s)
 */
public record AdmissionSettings(Rate userSends, Rate userOthers, Rate connectionSends, Rate connectionOthers,
                                int maxInFlightPerConnection, int maxInFlight, Duration shedAfter) {

    public static AdmissionSettings fromEnv(Env env) {
        return new AdmissionSettings(
                Rate.parse(env.str("PARLEY_RATE_USER_SENDS", "10,50"), "PARLEY_RATE_USER_SENDS"),
                Rate.parse(env.str("PARLEY_RATE_USER_REQUESTS", "20,100"), "PARLEY_RATE_USER_REQUESTS"),
                Rate.parse(env.str("PARLEY_RATE_CONNECTION_SENDS", "10,50"), "PARLEY_RATE_CONNECTION_SENDS"),
                Rate.parse(env.str("PARLEY_RATE_CONNECTION_REQUESTS", "20,100"), "PARLEY_RATE_CONNECTION_REQUESTS"),
                env.integer("PARLEY_MAX_INFLIGHT_PER_CONNECTION", 64),
                env.integer("PARLEY_MAX_INFLIGHT", 10_000),
                env.duration("PARLEY_SHED_AFTER", Duration.ofSeconds(3)));
    }
}
