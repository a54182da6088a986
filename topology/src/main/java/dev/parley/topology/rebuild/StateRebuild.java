package dev.parley.topology.rebuild;

import dev.parley.avro.event.ChannelEvent;
import dev.parley.schemas.serde.ParleyAvroSerde;
import dev.parley.schemas.topics.TopicProvisioner;
import dev.parley.topology.StreamsProperties;
import dev.parley.topology.TopologyConfig;
import dev.parley.topology.TopologyFactory;
import dev.parley.topology.state.StoreNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the topology's state from the log, for an installation whose topology is stopped: {@code channel-state}
 * and {@code dedupe} (keys of events still inside the idempotency window) through the same fold the channel
 * processor uses, and the memberships and read cursors of {@code user-state} (cursors from old READ events, the
 * highest one, never moved back). It runs the rebuild topology ({@link TopologyFactory#rebuild}) under the
 * topology's own application id, so the state it leaves, locally in {@code PARLEY_STATE_DIR} and in the changelog
 * topics, is the one the topology then starts from; it stops once the whole log went through.
 *
 * <p>The channel state starts from nothing: its changelogs and the application's offsets on the log are deleted
 * first, and the local state directory is wiped. {@code user-state} is kept (restored from its changelog if there
 * is one): the read cursors set by {@code mark_read} exist nowhere else; memberships are replayed over it and
 * cursors never move back. The offsets on the commands topic are kept: the topology goes on with the commands it
 * had not processed yet. This is the upgrade path from a version with other stores
 * (docs/operations.md "Upgrading").
 */
public final class StateRebuild {

    private static final Logger LOG = LoggerFactory.getLogger(StateRebuild.class);
    private static final long TIMEOUT_S = 60;

    /** What the rebuild went through: the log's partitions and their committed end offsets. */
    public record Report(Map<TopicPartition, Long> logEnds, Duration took) {

        public long logRecords() {
            return logEnds.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private StateRebuild() {
    }

    public static Report run(TopologyConfig config) {
        long started = System.nanoTime();
        Map<String, Object> adminConfig = new HashMap<>(config.kafkaOverrides());
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        String app = config.applicationId();
        String repartition = app + "-" + StoreNames.USER_UPDATES + "-repartition";
        try (Admin admin = Admin.create(adminConfig)) {
            TopicProvisioner provisioner = new TopicProvisioner(admin, config.topics(), config.topicSettings());
            provisioner.requireTransactionVersion2();
            provisioner.provision();
            requireStopped(admin, app);
            Map<TopicPartition, Long> logEnds = LogOffsets.committedEnds(admin, config.topics().log());
            // user-state is kept: its read cursors exist nowhere else (mark_read writes no event); memberships are
            // replayed over it, and cursors only ever move forward (ReadCursors).
            forgetState(admin, app, logEnds.keySet(), List.of(StateGuard.changelog(app, StoreNames.CHANNEL_STATE),
                    StateGuard.changelog(app, StoreNames.DEDUPE), repartition));
            LOG.info("rebuilding the state of {} from {} ({} records in {} partitions)", app, config.topics().log(),
                    logEnds.values().stream().mapToLong(Long::longValue).sum(), logEnds.size());

            ParleyAvroSerde<ChannelEvent> events = ParleyAvroSerde.forValue(ChannelEvent.class, config.serdeConfig());
            Properties props = StreamsProperties.of(config, "localhost:1");
            props.remove(StreamsConfig.APPLICATION_SERVER_CONFIG);
            KafkaStreams streams = new KafkaStreams(TopologyFactory.rebuild(config.topics(), config.serdeConfig(),
                    config.idempotencyWindow(), () -> new RebuildProcessor(events.deserializer())), props);
            streams.cleanUp(); // a rebuild starts from nothing, here too
            try {
                streams.start();
                awaitConsumed(admin, streams, app, logEnds, repartition);
            } finally {
                streams.close(Duration.ofSeconds(60));
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            LOG.info("state of {} rebuilt from {} in {} s", app, config.topics().log(), took.toSeconds());
            return new Report(logEnds, took);
        }
    }

    /** Rebuilding under a running topology would race it: refuse while the application's group has members. */
    private static void requireStopped(Admin admin, String app) {
        try {
            var group = admin.describeConsumerGroups(List.of(app)).all().get(TIMEOUT_S, TimeUnit.SECONDS).get(app);
            if (group != null && !group.members().isEmpty()) {
                throw new IllegalStateException("the topology " + app + " is running (" + group.members().size()
                        + " members in its group): stop every instance before rebuilding its state");
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                throw new IllegalStateException("could not describe the group " + app + ": " + e.getCause().getMessage(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("timed out describing the group " + app, e);
        }
    }

    /** Deletes the stores' changelogs (and the repartition topic) and the application's offsets on the log. */
    private static void forgetState(Admin admin, String app, Set<TopicPartition> log, List<String> topics) {
        try {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS);
            List<String> doomed = topics.stream().filter(existing::contains).toList();
            if (!doomed.isEmpty()) {
                LOG.info("deleting {}", doomed);
                admin.deleteTopics(doomed).all().get(TIMEOUT_S, TimeUnit.SECONDS);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
                while (admin.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS).stream().anyMatch(doomed::contains)) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("topics " + doomed + " are still listed " + TIMEOUT_S + " s after their deletion");
                    }
                    Thread.sleep(100);
                }
            }
            Set<TopicPartition> offsets = new HashSet<>(log);
            try {
                admin.deleteConsumerGroupOffsets(app, offsets).all().get(TIMEOUT_S, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                    throw new IllegalStateException("could not reset the offsets of " + app + " on the log: " + e.getCause().getMessage(), e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("could not delete the old state: " + e.getMessage(), e);
        }
    }

    /** Waits until the application has committed its way to the end of the log, then of the repartition topic. */
    private static void awaitConsumed(Admin admin, KafkaStreams streams, String app, Map<TopicPartition, Long> logEnds,
                                      String repartition) {
        long lastReport = System.nanoTime();
        while (true) {
            if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException("the rebuild stopped: Streams is " + streams.state() + " (see the log)");
            }
            Map<TopicPartition, OffsetAndMetadata> committed = committed(admin, app);
            List<TopicPartition> behind = behind(committed, logEnds);
            if (behind.isEmpty()) {
                List<TopicPartition> updates = behind(committed, LogOffsets.committedEnds(admin, repartition));
                if (updates.isEmpty()) {
                    return;
                }
            }
            if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(10)) {
                lastReport = System.nanoTime();
                LOG.info("rebuild of {}: {} partitions of the log still to go", app, behind.size());
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    private static List<TopicPartition> behind(Map<TopicPartition, OffsetAndMetadata> committed, Map<TopicPartition, Long> ends) {
        List<TopicPartition> out = new ArrayList<>();
        ends.forEach((tp, end) -> {
            OffsetAndMetadata at = committed.get(tp);
            if (end > 0 && (at == null || at.offset() < end)) {
                out.add(tp);
            }
        });
        return out;
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String app) {
        try {
            return admin.listConsumerGroupOffsets(app).partitionsToOffsetAndMetadata().get(TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return Map.of();
            }
            throw new IllegalStateException("could not read the offsets of " + app + ": " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("timed out reading the offsets of " + app, e);
        }
    }
}
