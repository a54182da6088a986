package dev.parley.api.presence;

import java.util.Map;

/**
 * What the connection registry knows of a user.
 *
 * @param status   online, away or offline
 * @param devices  connected devices, summed over gateways (0 when offline)
 * @param gateways the live gateways holding the user's devices, with the devices on each
 * @param lastSeen epoch ms: the last activity while connected; the time the last device went away when offline;
 *                 null when the registry never saw the user
 */
public record UserPresence(String user, PresenceStatus status, int devices, Map<String, Integer> gateways, Long lastSeen) {

    public static UserPresence offline(String user, Long lastSeen) {
        return new UserPresence(user, PresenceStatus.OFFLINE, 0, Map.of(), lastSeen);
    }

    public boolean isOnline() {
        return status != PresenceStatus.OFFLINE;
    }

    /** The same connections (status, devices, gateways): lastSeen alone is no change. */
    public boolean sameAs(UserPresence other) {
        return status == other.status && devices == other.devices && gateways.equals(other.gateways);
    }
}
