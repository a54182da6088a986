package dev.parley.schemas.topics;

import dev.parley.schemas.config.Env;
import java.time.Duration;

/**
 * How Parley's topics are created.
 *
 * @param partitions          partitions of the commands, log and results topics (commands and log must match)
 * @param replicationFactor   replication factor of every topic
 * @param minInsyncReplicas   {@code min.insync.replicas}; 2 when RF >= 3, else 1, unless set
 * @param commandsRetention   how long commands are kept (they are inputs; the log is the truth)
 * @param resultsRetention    how long command results are kept
 * @param deadLetterRetention how long dead letters are kept
 * @param userEventsRetention how long user events (read cursors for a user's devices) are kept; the user state
 *                            itself is in the topology's store
 */
public record TopicSettings(int partitions, short replicationFactor, int minInsyncReplicas,
                            Duration commandsRetention, Duration resultsRetention, Duration deadLetterRetention,
                            Duration userEventsRetention) {

    public TopicSettings {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor must be >= 1, got " + replicationFactor);
        }
        if (minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor) {
            throw new IllegalArgumentException("min.insync.replicas must be between 1 and the replication factor ("
                    + replicationFactor + "), got " + minInsyncReplicas);
        }
    }

    public static int defaultMinIsr(short replicationFactor) {
        return replicationFactor >= 3 ? 2 : 1;
    }

    public static TopicSettings of(int partitions, short replicationFactor) {
        return new TopicSettings(partitions, replicationFactor, defaultMinIsr(replicationFactor),
                Duration.ofDays(7), Duration.ofDays(1), Duration.ofDays(30), Duration.ofDays(1));
    }

    /** Local defaults: 12 partitions, RF 1. */
    public static TopicSettings defaults() {
        return of(12, (short) 1);
    }

    /**
     * From {@code PARLEY_PARTITIONS} (12), {@code PARLEY_REPLICATION_FACTOR} (1),
     * {@code PARLEY_MIN_INSYNC_REPLICAS} (2 when RF >= 3, else 1), {@code PARLEY_COMMANDS_RETENTION} (7d),
     * {@code PARLEY_RESULTS_RETENTION} (1d), {@code PARLEY_DLQ_RETENTION} (30d), {@code PARLEY_USER_EVENTS_RETENTION} (1d).
     */
    public static TopicSettings fromEnv(Env env) {
        short rf = (short) env.integer("PARLEY_REPLICATION_FACTOR", 1);
        return new TopicSettings(
                env.integer("PARLEY_PARTITIONS", 12),
                rf,
                env.integer("PARLEY_MIN_INSYNC_REPLICAS", defaultMinIsr(rf)),
                env.duration("PARLEY_COMMANDS_RETENTION", Duration.ofDays(7)),
                env.duration("PARLEY_RESULTS_RETENTION", Duration.ofDays(1)),
                env.duration("PARLEY_DLQ_RETENTION", Duration.ofDays(30)),
                env.duration("PARLEY_USER_EVENTS_RETENTION", Duration.ofDays(1)));
    }
}
