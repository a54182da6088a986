package dev.parley.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

/**
 * Direct-message channels: private channels whose id is derived from the set of their members, so the
 * same users always meet in the same channel and opening it twice finds it.
 */
public final class DirectChannels {

    public static final String PREFIX = "dm-";
    public static final int MIN_MEMBERS = 2;
    public static final int MAX_MEMBERS = 9;

    private DirectChannels() {
    }

    /** The distinct members, sorted. */
    public static List<String> normalize(Collection<String> members) {
        return List.copyOf(new TreeSet<>(members));
    }

    /** {@code dm-} + 32 hex chars of SHA-256 over the sorted, distinct member ids. */
    public static String idFor(Collection<String> members) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String m : normalize(members)) {
                sha.update(m.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return PREFIX + HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static boolean isDirect(String channel) {
        return channel.startsWith(PREFIX);
    }
}
