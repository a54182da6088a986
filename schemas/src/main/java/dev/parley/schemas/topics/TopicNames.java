package dev.parley.schemas.topics;

import java.util.List;

/**
 * Names of Parley's topics. All share one prefix (default {@code parley.}), so several Parley
 * installations (or test classes) can share a cluster.
 *
 * @param prefix prepended to every name, e.g. {@code parley.}
 */
public record TopicNames(String prefix) {

    public static final String DEFAULT_PREFIX = "parley.";

    public TopicNames {
        if (prefix == null) {
            prefix = DEFAULT_PREFIX;
        }
    }

    public static TopicNames defaults() {
        return new TopicNames(DEFAULT_PREFIX);
    }

    /** Channel-keyed commands produced by gateways, consumed by the topology. */
    public String commands() {
        return prefix + "commands";
    }

    /** The committed message log: channel-keyed events, the source of truth, kept forever. */
    public String log() {
        return prefix + "log";
    }

    /** Gateway-keyed command results written by the topology in the same transaction as the event. */
    public String results() {
        return prefix + "results";
    }

    /** Records that could not be processed, with the reason. */
    public String deadLetters() {
        return prefix + "dlq";
    }

    /** User-keyed changes of a user's own state (read cursors), for that user's devices; written by the topology. */
    public String userEvents() {
        return prefix + "user-events";
    }

    /** Compacted storage of Parley's schema registry. */
    public String schemas() {
        return prefix + "schemas";
    }

    public List<String> all() {
        return List.of(commands(), log(), results(), deadLetters(), userEvents(), schemas());
    }
}
