package dev.parley.topology.sequencer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Globally unique, time-ordered ids in the ULID format (26 Crockford base32 characters: 48-bit millisecond
 * time + 80 bits). The 80 bits are derived from (kind, channel, seq), so reprocessing the same command after
 * a crash yields the same id, and two events never share one (a channel's seq is unique).
 */
public final class Ids {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    private Ids() {
    }

    public static String messageId(String channel, long seq, long timestampMillis) {
        return ulid(timestampMillis, digest('m', channel, seq));
    }

    public static String eventId(String channel, long seq, long timestampMillis) {
        return ulid(timestampMillis, digest('e', channel, seq));
    }

    private static byte[] digest(char kind, String channel, long seq) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((byte) kind);
            sha.update(channel.getBytes(StandardCharsets.UTF_8));
            for (int i = 7; i >= 0; i--) {
                sha.update((byte) (seq >>> (8 * i)));
            }
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    static String ulid(long timestampMillis, byte[] random) {
        // 128 bits: 48 bits of time then 80 bits of the digest, as two longs.
        long hi = (timestampMillis & 0xFFFF_FFFF_FFFFL) << 16 | (random[0] & 0xFFL) << 8 | (random[1] & 0xFFL);
        long lo = 0;
        for (int i = 2; i < 10; i++) {
            lo = lo << 8 | (random[i] & 0xFFL);
        }
        char[] out = new char[26];
        // 26 chars * 5 bits = 130 bits; the first char carries the top 3 bits.
        for (int i = 25; i >= 0; i--) {
            int bitFromRight = (25 - i) * 5;
            int v;
            if (bitFromRight + 5 <= 64) {
                v = (int) ((lo >>> bitFromRight) & 31);
            } else if (bitFromRight >= 64) {
                v = (int) ((hi >>> (bitFromRight - 64)) & 31);
            } else {
                int lowBits = 64 - bitFromRight;
                v = (int) (((lo >>> bitFromRight) | (hi << lowBits)) & 31);
            }
            out[i] = ALPHABET[v];
        }
        return new String(out);
    }
}
