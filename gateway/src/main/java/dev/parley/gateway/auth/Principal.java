package dev.parley.gateway.auth;

import java.time.Instant;

/** An authenticated user: the token's subject, and when the token stops being valid. */
public record Principal(String user, Instant expiresAt) {
}
