package dev.parley.notifier.streams;

import dev.parley.schemas.topics.TopicNames;

/**
 * The topics the notifier reads and writes. Public ones share Parley's prefix; the opt-ins loop belongs to
 * the notifier's application id (it is provisioned by the notifier, not by Kafka Streams).
 *
 * @param names         Parley's topic names (prefix)
 * @param applicationId the notifier's Streams application id
 */
public record NotifierTopicNames(TopicNames names, String applicationId) {

    public String log() {
        return names.log();
    }

    /** A user's own state changes (read cursors, notification preferences), written by the topology; key: user. */
    public String userEvents() {
        return names.userEvents();
    }

    /** Notification requests (key: user), written exactly-once by the notifier's Streams application. */
    public String notifications() {
        return names.notifications();
    }

    /** Notifications an endpoint did not accept within the retry budget, with the reason. */
    public String deadLetters() {
        return names.notificationDeadLetters();
    }

    /** Opt-in index changes (key: channel), from the user side back to the channel side. */
    public String optIns() {
        return applicationId + "-optins";
    }
}
