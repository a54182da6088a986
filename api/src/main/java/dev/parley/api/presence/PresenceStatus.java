package dev.parley.api.presence;

import java.util.Locale;

/** A user's presence as others see it. */
public enum PresenceStatus {
    /** At least one device is connected and active. */
    ONLINE,
    /** Connected, but every device was set away or is idle. */
    AWAY,
    /** No device connected to a live gateway. */
    OFFLINE;

    /** The protocol's spelling: {@code online}, {@code away}, {@code offline}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
