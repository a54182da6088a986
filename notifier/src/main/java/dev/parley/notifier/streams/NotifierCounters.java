package dev.parley.notifier.streams;

/** What the Streams side counts (implemented with Micrometer by the service; no-op in topology tests). */
public interface NotifierCounters {

    /** {@code n} candidates found for one message. */
    default void candidates(int n) {
    }

    /** A candidate dropped by the user's preferences, or because the user had already read the message. */
    default void filtered() {
    }

    /** A notification emitted to the notifications topic for {@code messages} messages. */
    default void queued(int messages) {
    }

    /** A pending digest cancelled: {@code why} is read, seen, online, left. */
    default void cancelled(String why) {
    }

    /** {@code n} thread participations forgotten (older than the thread retention). */
    default void threadsPruned(int n) {
    }

    /** An undecodable log record skipped. */
    default void skipped() {
    }

    NotifierCounters NONE = new NotifierCounters() {
    };
}
