package dev.parley.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Which token keys a gateway may start with. In dev mode anything goes (the built-in dev secret by default);
 * otherwise it needs a JWKS URL, or an HS256 secret of at least 32 bytes that is not a value published with
 * Parley (the dev secret, the {@code docker/env.example} placeholder) and does not look typed by hand.
 */
public final class SecretPolicy {

    /** Secrets anyone can read in Parley's source: never accepted outside dev mode. */
    public static final Set<String> PUBLISHED = Set.of(
            "parley-dev-secret-do-not-use-in-production-0123456789",
            "change-me-to-a-long-random-string-of-32-bytes-or-more");

    public static final int MIN_BYTES = 32;
    /** Fewer distinct characters than this in 32+ bytes is not random (e.g. "aaaa...", "abababab..."). */
    static final int MIN_DISTINCT = 12;

    private SecretPolicy() {
    }

    /** Null when the gateway may start with these keys, else why not (naming the settings to change). */
    public static String problem(boolean devMode, String secret, String jwksUrl) {
        if (devMode || (jwksUrl != null && !jwksUrl.isBlank())) {
            return null;
        }
        if (secret == null || secret.isBlank()) {
            return "PARLEY_JWT_SECRET (32+ random bytes) or PARLEY_JWT_JWKS_URL is required outside dev mode";
        }
        if (PUBLISHED.contains(secret.trim())) {
            return "PARLEY_JWT_SECRET is a value published with Parley (the dev secret or the env.example placeholder): "
                    + "anyone could sign tokens; generate one, e.g. `openssl rand -base64 48`";
        }
        if (secret.getBytes(StandardCharsets.UTF_8).length < MIN_BYTES) {
            return "PARLEY_JWT_SECRET must be at least " + MIN_BYTES + " bytes";
        }
        if (secret.chars().distinct().count() < MIN_DISTINCT) {
            return "PARLEY_JWT_SECRET does not look random; generate one, e.g. `openssl rand -base64 48`";
        }
        return null;
    }
}
