package dev.parley.api.presence;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * Key layout of the connection registry topic (docs/topics.md). An entry is keyed {@code user U+001F gateway}, so
 * compaction keeps one per (user, gateway), and is written to the partition of the user id (what the default
 * partitioner would choose for a key that is just the user), so all of a user's entries share a partition. A
 * heartbeat is keyed by the gateway id alone and written to every partition. Ids never contain control
 * characters ({@code Limits.isValidToken}), so the separator cannot occur inside one.
 */
public final class PresenceKeys {

    /** ASCII unit separator: between the user and the gateway of an entry's key. */
    public static final char SEPARATOR = '\u001f';

    private PresenceKeys() {
    }

    /** A parsed key: an entry's (user, gateway), or a heartbeat's gateway (user null). */
    public record Key(String user, String gateway) {
        public boolean isHeartbeat() {
            return user == null;
        }
    }

    public static String entry(String user, String gateway) {
        return user + SEPARATOR + gateway;
    }

    public static String heartbeat(String gateway) {
        return gateway;
    }

    public static Key parse(String key) {
        int i = key.indexOf(SEPARATOR);
        return i < 0 ? new Key(null, key) : new Key(key.substring(0, i), key.substring(i + 1));
    }

    /** The partition of a user's entries: {@code toPositive(murmur2(user)) % partitions}. */
    public static int partitionOf(String user, int partitions) {
        return Utils.toPositive(Utils.murmur2(user.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
