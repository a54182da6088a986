package dev.parley.notifier.delivery;

import dev.parley.avro.notify.Notification;

/** What the delivery side reports (Micrometer in the service; assertions in tests). */
public interface DeliveryListener {

    /** One HTTP attempt (or one refused by the open circuit) to {@code endpoint} ended with {@code result}. */
    default void attempted(String endpoint, AttemptResult result) {
    }

    /** A failed attempt will be retried. */
    default void retried(String endpoint) {
    }

    /** {@code endpoint} accepted {@code n} at {@code atMillis}. */
    default void delivered(String endpoint, Notification n, long atMillis) {
    }

    /** {@code n} went to the dead-letter topic for {@code endpoint}. */
    default void deadLettered(String endpoint, Notification n, String reason) {
    }

    DeliveryListener NONE = new DeliveryListener() {
    };
}
