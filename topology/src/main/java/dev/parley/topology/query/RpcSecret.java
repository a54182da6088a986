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

    private final byte[] secret;

    private RpcSecret(byte[] secret) {
        this.secret = secret;
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
