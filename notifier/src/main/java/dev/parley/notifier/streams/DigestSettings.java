package dev.parley.notifier.streams;

import java.time.Duration;

/**
 * How the user side batches notifications.
 *
 * @param delay        how long after a message its notification waits for a read or for the user to come
 *                     online, and how long a digest gathers messages
 * @param scanInterval how often (wall clock) due digests are looked for
 * @param latest       how many messages a notification carries (the count covers all)
 * @param trackCap     how many messages a pending digest tracks one by one (more are only counted)
 * @param previewChars how much of a message's text a notification carries (0: none)
 */
public record DigestSettings(Duration delay, Duration scanInterval, int latest, int trackCap, int previewChars) {

    public DigestSettings {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("the notification delay must not be negative, got " + delay);
        }
        if (scanInterval.isZero() || scanInterval.isNegative()) {
            throw new IllegalArgumentException("the scan interval must be positive, got " + scanInterval);
        }
        if (latest < 1 || trackCap < latest) {
            throw new IllegalArgumentException("need 1 <= latest (" + latest + ") <= trackCap (" + trackCap + ")");
        }
    }

    public static DigestSettings defaults() {
        return of(Duration.ofSeconds(30));
    }

    /** Defaults with {@code delay}; the scan runs every delay/10 (at least 50 ms, at most 1 s). */
    public static DigestSettings of(Duration delay) {
        long scan = Math.max(50, Math.min(1000, delay.toMillis() / 10));
        return new DigestSettings(delay, Duration.ofMillis(scan), 5, 500, 140);
    }
}
