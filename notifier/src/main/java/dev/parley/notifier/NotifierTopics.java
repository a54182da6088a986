package dev.parley.notifier;

import dev.parley.notifier.streams.NotifierTopicNames;
import dev.parley.schemas.topics.TopicLayoutException;
import dev.parley.schemas.topics.TopicSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the notifier's topics when absent (safe from several processes at once) and checks the one rule it
 * relies on: the opt-ins topic has the log's partition count, so a channel's opt-ins reach the task that
 * holds the channel's state.
 */
public final class NotifierTopics {

    private static final Logger LOG = LoggerFactory.getLogger(NotifierTopics.class);
    private static final long TIMEOUT_S = 60;

    private NotifierTopics() {
    }

    /** Returns the log's partition count. */
    public static int provision(Admin admin, NotifierTopicNames names, TopicSettings settings, Duration notificationRetention,
                                Duration deadLetterRetention) {
        int logPartitions = partitionsOf(admin, names.log());
        if (logPartitions < 0) {
            throw new TopicLayoutException("topic " + names.log() + " does not exist: start the topology (or run"
                    + " 'parley topics create') before the notifier");
        }
        String minIsr = String.valueOf(settings.minInsyncReplicas());
        List<NewTopic> wanted = new ArrayList<>();
        wanted.add(new NewTopic(names.notifications(), settings.partitions(), settings.replicationFactor()).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, String.valueOf(notificationRetention.toMillis()),
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minIsr)));
        wanted.add(new NewTopic(names.deadLetters(), settings.partitions(), settings.replicationFactor()).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, String.valueOf(deadLetterRetention.toMillis()),
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minIsr)));
        wanted.add(new NewTopic(names.optIns(), logPartitions, settings.replicationFactor()).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, String.valueOf(Duration.ofDays(7).toMillis()),
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minIsr)));
        Set<String> existing = list(admin);
        for (NewTopic t : wanted) {
            if (existing.contains(t.name())) {
                continue;
            }
            try {
                admin.createTopics(List.of(t)).all().get(TIMEOUT_S, TimeUnit.SECONDS);
                LOG.info("created topic {} ({} partitions)", t.name(), t.numPartitions());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("could not create topic " + t.name() + ": " + e.getCause().getMessage(), e.getCause());
                }
            } catch (Exception e) {
                throw new IllegalStateException("could not create topic " + t.name() + ": " + e.getMessage(), e);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        int optIns;
        while ((optIns = partitionsOf(admin, names.optIns())) < 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topic " + names.optIns() + " was created but is not visible");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        if (optIns != logPartitions) {
            throw new TopicLayoutException("topic " + names.optIns() + " has " + optIns + " partitions but " + names.log()
                    + " has " + logPartitions + "; they must be equal (a channel's opt-ins must reach the task of its"
                    + " events). Delete " + names.optIns() + " and the notifier's state (application reset); it is rebuilt from the log.");
        }
        return logPartitions;
    }

    private static Set<String> list(Admin admin) {
        try {
            return admin.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not list topics: " + e.getMessage(), e);
        }
    }

    private static int partitionsOf(Admin admin, String topic) {
        if (!list(admin).contains(topic)) {
            return -1;
        }
        try {
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT_S, TimeUnit.SECONDS).get(topic);
            return d.partitions().size();
        } catch (ExecutionException e) {
            return -1;
        } catch (Exception e) {
            throw new IllegalStateException("could not describe topic " + topic + ": " + e.getMessage(), e);
        }
    }
}
