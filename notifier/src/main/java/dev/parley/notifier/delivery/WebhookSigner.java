package dev.parley.notifier.delivery;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook requests the Standard Webhooks way (docs/notifications.md): HMAC-SHA256 with the endpoint's
 * secret over {@code <webhook-id>.<webhook-timestamp>.<body>}, sent as {@code webhook-signature: v1,<base64>}.
 * The timestamp is signed, so a receiver that rejects old timestamps rejects replays; the id is signed, so it
 * can dedupe on it. Also verifies, for receivers written in Java and for tests.
 */
public final class WebhookSigner {

    public static final String ID = "webhook-id";
    public static final String TIMESTAMP = "webhook-timestamp";
    public static final String SIGNATURE = "webhook-signature";

    private WebhookSigner() {
    }

    /** {@code v1,} + base64 of the HMAC. */
    public static String sign(byte[] secret, String id, long timestampSeconds, byte[] body) {
        return "v1," + Base64.getEncoder().encodeToString(hmac(secret, id, timestampSeconds, body));
    }

    /**
     * Whether {@code signatureHeader} (one or more space-separated {@code v1,<base64>}) holds a valid signature of
     * the request, and its timestamp is within {@code toleranceSeconds} of {@code nowSeconds}.
     */
    public static boolean verify(byte[] secret, String id, String timestampHeader, byte[] body, String signatureHeader,
                                 long nowSeconds, long toleranceSeconds) {
        if (id == null || timestampHeader == null || signatureHeader == null) {
            return false;
        }
        long ts;
        try {
            ts = Long.parseLong(timestampHeader.trim());
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(nowSeconds - ts) > toleranceSeconds) {
            return false;
        }
        byte[] expected = hmac(secret, id, ts, body);
        for (String candidate : signatureHeader.trim().split(" ")) {
            if (candidate.startsWith("v1,")) {
                byte[] given;
                try {
                    given = Base64.getDecoder().decode(candidate.substring(3));
                } catch (IllegalArgumentException e) {
                    continue;
                }
                if (MessageDigest.isEqual(expected, given)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static byte[] hmac(byte[] secret, String id, long timestampSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }
}
