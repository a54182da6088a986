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

    /**
     * The connection registry: which gateway holds which users' devices, and the gateways' heartbeats.
     * Compacted and ephemeral: written by gateways with a plain idempotent producer, never in a transaction.
     */
    public String presence() {
        return prefix + "presence";
    }

    /** Typing indicators between gateways: channel-keyed, short retention, at-most-once, never in the log. */
    public String typing() {
        return prefix + "typing";
    }

    /**
     * Routed fan-out: which gateway follows which channel (key {@code channel U+001F gateway}, in the log partition of
     * the channel). Compacted and ephemeral, written by gateways with a plain idempotent producer.
     */
    public String routes() {
        return prefix + "routes";
    }

    /**
     * Routed fan-out: the committed events a gateway's connections need, copied by the router (key: gateway id, or
     * {@code *} for every gateway). Short retention, at-least-once; the log stays the truth.
     */
    public String deliveries() {
        return prefix + "deliveries";
    }

    /**
     * Notifications decided by the notifier (key: user), for its delivery worker and other sinks. Provisioned by the
     * notifier, not in {@link #all()}.
     */
    public String notifications() {
        return prefix + "notifications";
    }

    /** Notifications an endpoint did not accept within the retry budget, with the reason (provisioned by the notifier). */
    public String notificationDeadLetters() {
        return prefix + "notifications-dlq";
    }

    /** Compacted storage of Parley's schema registry. */
    public String schemas() {
        return prefix + "schemas";
    }

    public List<String> all() {
        return List.of(commands(), log(), results(), deadLetters(), userEvents(), schemas(), presence(), typing(), routes(), deliveries());
    }
}
