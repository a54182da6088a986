package dev.parley.schemas.registry.server;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the registry's storage topic when absent (1 partition, {@code cleanup.policy=compact}) and refuses
 * to start on one that could reorder or lose schemas (several partitions, or deletion by retention).
 */
final class RegistryTopic {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryTopic.class);

    private RegistryTopic() {
    }

    static void ensure(Admin admin, String topic, short replicationFactor, long timeoutMs) {
        try {
            TopicDescription description = describe(admin, topic, timeoutMs);
            if (description == null) {
                create(admin, topic, replicationFactor, timeoutMs);
                description = describeOnceVisible(admin, topic, timeoutMs);
                if (description == null) {
                    throw new IllegalStateException("topic " + topic + " was created but cannot be described within "
                            + timeoutMs + " ms");
                }
            }
            check(admin, description, timeoutMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking topic " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not check or create the registry topic " + topic + ": " + e.getMessage(), e);
        }
    }

    private static void create(Admin admin, String topic, short rf, long timeoutMs)
            throws InterruptedException, ExecutionException, TimeoutException {
        NewTopic t = new NewTopic(topic, 1, rf).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(rf >= 3 ? 2 : 1),
                TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG, "false"));
        try {
            admin.createTopics(List.of(t)).all().get(timeoutMs, TimeUnit.MILLISECONDS);
            LOG.info("created the registry topic {} (1 partition, RF {}, compacted)", topic, rf);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    /**
     * A topic that was just created may still be unknown to the broker that answers the describe (its metadata
     * has not caught up yet): ask again until it is visible or the timeout passes.
     */
    private static TopicDescription describeOnceVisible(Admin admin, String topic, long timeoutMs)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            TopicDescription description = describe(admin, topic, timeoutMs);
            if (description != null || System.nanoTime() > deadline) {
                return description;
            }
            Thread.sleep(50);
        }
    }

    private static TopicDescription describe(Admin admin, String topic, long timeoutMs)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(timeoutMs, TimeUnit.MILLISECONDS).get(topic);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return null;
            }
            throw e;
        }
    }

    private static void check(Admin admin, TopicDescription description, long timeoutMs)
            throws InterruptedException, ExecutionException, TimeoutException {
        String topic = description.name();
        if (description.partitions().size() != 1) {
            throw new IllegalStateException("the registry topic " + topic + " has " + description.partitions().size()
                    + " partitions; it must have exactly 1 so that every instance reads the records in the same order");
        }
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource)).all().get(timeoutMs, TimeUnit.MILLISECONDS).get(resource);
        var policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
        String value = policy == null ? "" : policy.value();
        if (!TopicConfig.CLEANUP_POLICY_COMPACT.equals(value)) {
            throw new IllegalStateException("the registry topic " + topic + " has cleanup.policy=" + value
                    + "; it must be 'compact' only, or retention would delete registered schemas. Fix it with"
                    + " kafka-configs.sh --alter --entity-type topics --entity-name " + topic
                    + " --add-config cleanup.policy=compact");
        }
    }
}
