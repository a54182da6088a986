package dev.parley.gateway.hub;

/** What sessions report to metrics. */
public interface SessionStats {

    void framesSent();

    void resync();

    SessionStats NONE = new SessionStats() {
        @Override
        public void framesSent() {
        }

        @Override
        public void resync() {
        }
    };
}
