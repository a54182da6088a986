package dev.parley.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.testkit.KafkaTestCluster;
import dev.parley.testkit.SharedKafka;
import dev.parley.topology.support.TopologyEnv;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.clients.admin.UpdateFeaturesOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topology refuses to start on a cluster without transaction version 2 (KIP-890), and says what to do. The
 * shared broker is downgraded for the test and upgraded again before anything else runs.
 */
@ExtendWith(SharedKafka.class)
class TransactionVersionIT {

    @Test
    void theTopologyFailsFastOnAClusterWithoutKip890(KafkaTestCluster kafka, @TempDir Path dir) throws Exception {
        try (TopologyEnv env = new TopologyEnv(kafka, TransactionVersionIT.class, 1); Admin admin = kafka.admin()) {
            setTransactionVersion(admin, (short) 1, FeatureUpdate.UpgradeType.SAFE_DOWNGRADE);
            try {
                assertThatThrownBy(() -> TopologyService.start(env.instanceConfig("tv-" + System.nanoTime(), dir, 0)))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("transaction.version feature is 1")
                        .hasMessageContaining("kafka-features.sh upgrade --feature transaction.version=2");
            } finally {
                setTransactionVersion(admin, (short) 2, FeatureUpdate.UpgradeType.UPGRADE);
            }
        }
    }

    private static void setTransactionVersion(Admin admin, short level, FeatureUpdate.UpgradeType type) throws Exception {
        admin.updateFeatures(Map.of("transaction.version", new FeatureUpdate(level, type)), new UpdateFeaturesOptions())
                .all().get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> admin.describeFeatures().featureMetadata().get()
                .finalizedFeatures().get("transaction.version").maxVersionLevel() == level);
        assertThat(admin.describeFeatures().featureMetadata().get().finalizedFeatures().get("transaction.version").maxVersionLevel())
                .isEqualTo(level);
    }
}
