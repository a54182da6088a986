package dev.parley.schemas.topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates Parley's topics when they are absent and verifies the layout every component relies on.
 * Called by every component at start-up; safe to call concurrently from several processes.
 */
public final class TopicProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);
    private static final long TIMEOUT_S = 60;

    private final Admin admin;
    private final TopicNames names;
    private final TopicSettings settings;

    public TopicProvisioner(Admin admin, TopicNames names, TopicSettings settings) {
        this.admin = admin;
        this.names = names;
        this.settings = settings;
    }

    /** What provisioning found and did. */
    public record Report(List<String> created, List<String> existing, int partitions, List<String> warnings) {
    }

    /** Creates what is missing, then {@link #verify()}. */
    public Report provision() {
        List<NewTopic> wanted = desiredTopics();
        Set<String> existing = listTopics();
        List<String> created = new ArrayList<>();
        List<String> present = new ArrayList<>();
        List<NewTopic> toCreate = new ArrayList<>();
        for (NewTopic t : wanted) {
            if (existing.contains(t.name())) {
                present.add(t.name());
            } else {
                toCreate.add(t);
            }
        }
        if (!toCreate.isEmpty()) {
            var result = admin.createTopics(toCreate);
            for (NewTopic t : toCreate) {
                try {
                    result.values().get(t.name()).get(TIMEOUT_S, TimeUnit.SECONDS);
                    created.add(t.name());
                    LOG.info("created topic {} ({} partitions, RF {}, {})", t.name(), t.numPartitions(),
                            t.replicationFactor(), t.configs());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof TopicExistsException) {
                        present.add(t.name()); // another process created it first
                    } else {
                        throw new IllegalStateException("could not create topic " + t.name() + ": " + e.getCause().getMessage(), e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while creating topic " + t.name(), e);
                } catch (TimeoutException e) {
                    throw new IllegalStateException("timed out creating topic " + t.name(), e);
                }
            }
        }
        // Just created: a broker that has not applied the new metadata may still answer "unknown" for a while.
        long deadline = System.nanoTime() + (created.isEmpty() ? 0 : TimeUnit.SECONDS.toNanos(TIMEOUT_S));
        Report verified = verify(deadline);
        return new Report(created, present, verified.partitions(), verified.warnings());
    }

    /**
     * Checks that every topic exists, that commands and log have the same partition count (a channel's
     * commands and events must land in partitions with the same number), and warns about settings that
     * weaken Parley's guarantees (finite log retention, transaction protocol older than KIP-890).
     *
     * @throws TopicLayoutException when the layout cannot work
     */
    public Report verify() {
        return verify(System.nanoTime());
    }

    /**
     * {@link #verify()}, asking again until {@code deadlineNanos} while a topic is not known: createTopics
     * completes once the controller committed the topics, but each later admin call is answered by whichever
     * broker is least loaded, and one that has not applied the new metadata yet lists them as missing or answers
     * UNKNOWN_TOPIC_OR_PARTITION (seen on a 3-broker cluster right after provisioning).
     */
    private Report verify(long deadlineNanos) {
        Map<String, TopicDescription> described = describe(names.all(), deadlineNanos);
        int commandPartitions = described.get(names.commands()).partitions().size();
        int logPartitions = described.get(names.log()).partitions().size();
        if (commandPartitions != logPartitions) {
            throw new TopicLayoutException("topic " + names.commands() + " has " + commandPartitions
                    + " partitions but " + names.log() + " has " + logPartitions
                    + "; they must be equal because a channel's commands and events are co-partitioned by channel id."
                    + " Recreate one of them with the same count (PARLEY_PARTITIONS).");
        }
        int routePartitions = described.get(names.routes()).partitions().size();
        if (routePartitions != logPartitions) {
            throw new TopicLayoutException("topic " + names.routes() + " has " + routePartitions
                    + " partitions but " + names.log() + " has " + logPartitions
                    + "; they must be equal because the router reads a channel's routes and events in one task."
                    + " Recreate " + names.routes() + " (it holds only ephemeral routes) with the same count.");
        }
        List<String> warnings = new ArrayList<>();
        String logRetention = topicConfig(names.log(), deadlineNanos).get(TopicConfig.RETENTION_MS_CONFIG);
        if (logRetention != null && !"-1".equals(logRetention)) {
            warnings.add("topic " + names.log() + " has retention.ms=" + logRetention
                    + "; the log is the source of truth and should be kept forever (retention.ms=-1)");
        }
        warnings.addAll(checkTransactionVersion());
        warnings.forEach(w -> LOG.warn("{}", w));
        return new Report(List.of(), List.copyOf(described.keySet()), logPartitions, warnings);
    }

    /**
     * Parley's exactly-once path relies on KIP-890 ("transaction version 2"), which closes the
     * transaction anomalies found by Jepsen in 2024. Returns a warning when the cluster runs an older one.
     */
    List<String> checkTransactionVersion() {
        try {
            requireTransactionVersion2();
            return List.of();
        } catch (IllegalStateException e) {
            return List.of(e.getMessage());
        }
    }

    /**
     * Fails unless the cluster's {@code transaction.version} feature is at least 2 (KIP-890): the topology calls
     * this at start-up and refuses to run exactly-once without it.
     *
     * @throws IllegalStateException with what to do, when it is lower or cannot be read
     */
    public void requireTransactionVersion2() {
        short level;
        try {
            FeatureMetadata features = admin.describeFeatures().featureMetadata().get(TIMEOUT_S, TimeUnit.SECONDS);
            FinalizedVersionRange tv = features.finalizedFeatures().get("transaction.version");
            level = tv == null ? 0 : tv.maxVersionLevel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the cluster's transaction.version feature", e);
        } catch (Exception e) {
            throw new IllegalStateException("could not read the cluster's transaction.version feature: " + e.getMessage(), e);
        }
        if (level < 2) {
            throw new IllegalStateException("!!! the cluster's transaction.version feature is " + level
                    + " (< 2): KIP-890 transaction defenses are OFF and exactly-once can be violated by"
                    + " late commit/abort markers. Upgrade the brokers to Kafka 4.x and run"
                    + " 'kafka-features.sh upgrade --feature transaction.version=2'.");
        }
    }

    List<NewTopic> desiredTopics() {
        short rf = settings.replicationFactor();
        String minIsr = String.valueOf(settings.minInsyncReplicas());
        List<NewTopic> topics = new ArrayList<>();
        topics.add(new NewTopic(names.commands(), settings.partitions(), rf).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, millis(settings.commandsRetention()),
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minIsr,
                TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG, "false")));
        topics.add(new NewTopic(names.log(), settings.partitions(), rf).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, "-1",
                TopicConfig.RETENTION_BYTES_CONFIG, "-1",
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minIsr,
                TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG, "false",
                TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "CreateTime")));
        topics.add(new NewTopic(names.results(), settings.partitions(), rf).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, millis(settings.resultsRetention()),
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minIsr)));
        topics.add(new NewTopic(names.deadLetters(), settings.partitions(), rf).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, millis(settings.deadLetterRetention()),
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minIsr)));
        topics.add(new NewTopic(names.userEvents(), settings.partitions(), rf).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, millis(settings.userEventsRetention()),
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minIsr)));
        topics.add(new NewTopic(names.schemas(), 1, rf).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minIsr,
                TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG, "false")));
        // The ephemeral path (docs/architecture.md): state that matters for seconds, beside the durable log.
        topics.add(new NewTopic(names.presence(), settings.partitions(), rf).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                // Heartbeats rewrite the same keys every few seconds: small segments and eager cleaning keep what
                // a starting reader must read (from the beginning) to about the last ten minutes plus one record per key.
                TopicConfig.SEGMENT_MS_CONFIG, String.valueOf(Duration.ofMinutes(10).toMillis()),
                TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.1",
                TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG, String.valueOf(Duration.ofMinutes(15).toMillis()),
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minIsr)));
        Duration typing = settings.typingRetention();
        topics.add(new NewTopic(names.typing(), settings.partitions(), rf).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, millis(typing),
                TopicConfig.SEGMENT_MS_CONFIG, millis(typing), // retention drops whole segments only
                TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "CreateTime")));
        // Routed fan-out (docs/scaling.md): routes co-partitioned with the log; deliveries matter for seconds.
        topics.add(new NewTopic(names.routes(), settings.partitions(), rf).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.SEGMENT_MS_CONFIG, String.valueOf(Duration.ofMinutes(10).toMillis()),
                TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.1",
                TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG, String.valueOf(Duration.ofMinutes(15).toMillis()),
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minIsr)));
        topics.add(new NewTopic(names.deliveries(), settings.partitions(), rf).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, String.valueOf(DELIVERIES_RETENTION.toMillis()),
                TopicConfig.SEGMENT_MS_CONFIG, String.valueOf(DELIVERIES_RETENTION.toMillis()),
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minIsr)));
        return topics;
    }

    /** A gateway reads its deliveries from the end when it starts; an hour is for inspection only. */
    static final Duration DELIVERIES_RETENTION = Duration.ofHours(1);

    private static String millis(Duration d) {
        return String.valueOf(d.toMillis());
    }

    private Set<String> listTopics() {
        try {
            return admin.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not list topics: " + e.getMessage(), e);
        }
    }

    private Map<String, TopicDescription> describe(Collection<String> topics, long deadlineNanos) {
        while (true) {
            Set<String> existing = listTopics();
            List<String> missing = topics.stream().filter(t -> !existing.contains(t)).toList();
            if (missing.isEmpty()) {
                try {
                    return new HashMap<>(admin.describeTopics(topics).allTopicNames().get(TIMEOUT_S, TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() >= deadlineNanos) {
                        throw new IllegalStateException("could not describe topics " + topics + ": " + e.getMessage(), e);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("could not describe topics " + topics + ": " + e.getMessage(), e);
                }
            } else if (System.nanoTime() >= deadlineNanos) {
                throw new TopicLayoutException("missing topics " + missing + "; run 'parley topics create' or start a component that provisions them");
            }
            pause(topics);
        }
    }

    private static void pause(Collection<String> topics) {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for topics " + topics, e);
        }
    }

    private Map<String, String> topicConfig(String topic, long deadlineNanos) {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        while (true) {
            try {
                Config config = admin.describeConfigs(List.of(r)).all().get(TIMEOUT_S, TimeUnit.SECONDS).get(r);
                Map<String, String> out = new HashMap<>();
                for (ConfigEntry e : config.entries()) {
                    if (e.value() != null) {
                        out.put(e.name(), e.value());
                    }
                }
                return out;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() >= deadlineNanos) {
                    throw new IllegalStateException("could not read the configuration of topic " + topic + ": " + e.getMessage(), e);
                }
            } catch (Exception e) {
                throw new IllegalStateException("could not read the configuration of topic " + topic + ": " + e.getMessage(), e);
            }
            pause(List.of(topic));
        }
    }
}
