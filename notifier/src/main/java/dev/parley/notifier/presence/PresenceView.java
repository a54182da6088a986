package dev.parley.notifier.presence;

/**
 * The connection registry as the notifier needs it: "is user U online on any gateway, and since when is
 * they not". Implemented over the registry's read model; tests and a stack without a registry plug in their own.
 */
@FunctionalInterface
public interface PresenceView {

    Presence presence(String user);

    /** Nobody is ever online: every candidate that is not read within the delay is notified. */
    PresenceView NOBODY_ONLINE = user -> Presence.NEVER_SEEN;
}
