package dev.parley.topology.query;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The query RPC's shared secret ({@code PARLEY_TOPOLOGY_RPC_SECRET}): gateways and the other instances send it
 * with every request. Without one (allowed only while the RPC listens on loopback) every request is accepted.
 */
public final class RpcSecret {

    /** Shortest secret accepted: 32 characters, as a 256-bit key written out. */
    public static final int MIN_LENGTH = 32;
    /** The {@code docker/env.example} placeholder: anyone can read it, so it is never accepted. */
    public static final String PLACEHOLDER = "change-me-to-32-or-more-random-characters";
    /** Fewer distinct characters than this is not random ("aaaa...", "abab..."). */
    static final int MIN_DISTINCT = 12;

    private final byte[] secret;

    private RpcSecret(byte[] secret) {
        this.secret = secret;
    }

    /**
     * Null when a topology may serve its query RPC on {@code bindHost} with {@code secret} (null: none), else why not,
     * naming the settings to change. Beyond loopback a secret is required; any secret given must look random.
     */
    public static String problem(String secret, boolean loopback) {
        if (secret == null) {
            return loopback ? null : "the query RPC would listen beyond loopback without authentication: set"
                    + " PARLEY_TOPOLOGY_RPC_SECRET (32+ random characters, the same on every topology instance and gateway),"
                    + " or bind it to loopback (PARLEY_TOPOLOGY_RPC_BIND=127.0.0.1)";
        }
        if (secret.trim().equals(PLACEHOLDER)) {
            return "PARLEY_TOPOLOGY_RPC_SECRET is the placeholder of docker/env.example: generate one, e.g. `openssl rand -hex 32`";
        }
        if (secret.length() < MIN_LENGTH) {
            return "PARLEY_TOPOLOGY_RPC_SECRET is too short: use at least " + MIN_LENGTH + " random characters (e.g. openssl rand -hex 32)";
        }
        if (secret.chars().distinct().count() < MIN_DISTINCT) {
            return "PARLEY_TOPOLOGY_RPC_SECRET does not look random: generate one, e.g. `openssl rand -hex 32`";
        }
        return null;
    }

    public static RpcSecret of(String secret) {
        return new RpcSecret(secret == null ? null : secret.getBytes(StandardCharsets.UTF_8));
    }

    public boolean required() {
        return secret != null;
    }

    /** Whether a request carrying {@code presented} (null if none) may be served; compared in constant time. */
    public boolean accepts(String presented) {
        if (secret == null) {
            return true;
        }
        return presented != null && MessageDigest.isEqual(secret, presented.getBytes(StandardCharsets.UTF_8));
    }
}
