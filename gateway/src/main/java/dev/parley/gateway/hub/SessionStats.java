package dev.parley.gateway.hub;

/** What sessions and the hub report to metrics. */
public interface SessionStats {

    void framesSent();

    void resync();

    /** Characters of frames queued to a connection. */
    default void charsSent(int chars) {
    }

    /** Events that went out live to connections, in {@code frames} frames ({@code event} or batched {@code events}). */
    default void eventsDelivered(int events, int frames) {
    }

    SessionStats NONE = new SessionStats() {
        @Override
        public void framesSent() {
        }

        @Override
        public void resync() {
        }
    };
}
