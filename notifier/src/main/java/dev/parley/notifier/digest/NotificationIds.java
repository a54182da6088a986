package dev.parley.notifier.digest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Notification ids: a function of the recipient and the event that opened the digest, so processing the same
 * log again (after a crash, a rebalance, a restore) names the same notification, and receivers can dedupe on it.
 */
public final class NotificationIds {

    private NotificationIds() {
    }

    /** {@code ntf_} + 32 hex chars of SHA-256 over user, NUL, event id. */
    public static String of(String user, String firstEventId) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(user.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(firstEventId.getBytes(StandardCharsets.UTF_8));
            return "ntf_" + HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
