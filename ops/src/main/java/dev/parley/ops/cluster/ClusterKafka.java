package dev.parley.ops.cluster;

import dev.parley.schemas.topics.TopicLayoutException;
import dev.parley.schemas.topics.TopicNames;
import dev.parley.schemas.topics.TopicProvisioner;
import dev.parley.schemas.topics.TopicSettings;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.server.common.TransactionVersion;

/**
 * What the cluster checks and sets up in Kafka once its brokers serve, as compose's one-shot {@code topics} job
 * does: the finalized {@code transaction.version} is 2 (KIP-890), and Parley's topics exist with the cluster's
 * replication factor and min ISR.
 */
final class ClusterKafka {

    private ClusterKafka() {
    }

    /** What was found and done. */
    record Setup(short transactionVersion, TopicProvisioner.Report topics) {
    }

    static Setup setUp(String bootstrap, ClusterSettings s, Duration timeout) throws InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, "parley-cluster-setup",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis())))) {
            FeatureMetadata features = admin.describeFeatures().featureMetadata().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            FinalizedVersionRange tv = features.finalizedFeatures().get(TransactionVersion.FEATURE_NAME);
            short level = tv == null ? 0 : tv.maxVersionLevel();
            if (level < TransactionVersion.TV_2.featureLevel()) {
                throw new ClusterException("the cluster's transaction.version is " + level + "; Parley needs 2 (KIP-890)");
            }
            TopicSettings topics = new TopicSettings(s.partitions(), s.replicationFactor(), s.minInsyncReplicas(),
                    Duration.ofDays(7), Duration.ofDays(1), Duration.ofDays(30), Duration.ofDays(1));
            return new Setup(level, new TopicProvisioner(admin, TopicNames.defaults(), topics).provision());
        } catch (TopicLayoutException | IllegalStateException e) {
            throw new ClusterException("cannot create Parley's topics: " + e.getMessage(), e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new ClusterException("cannot check the cluster's features: " + cause, cause);
        }
    }
}
