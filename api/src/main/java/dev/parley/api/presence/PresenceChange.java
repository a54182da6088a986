package dev.parley.api.presence;

/** A user's presence changed (status, devices or gateways) as the registry applied a record or a timeout. */
public record PresenceChange(UserPresence before, UserPresence after) {

    public String user() {
        return after.user();
    }

    public boolean statusChanged() {
        return before.status() != after.status();
    }
}
