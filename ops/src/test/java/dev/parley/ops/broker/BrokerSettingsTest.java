package dev.parley.ops.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.schemas.config.Env;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** A broker of a multi-node cluster, configured from the environment the way {@code parley cluster} starts it. */
class BrokerSettingsTest {

    private static final Map<String, String> NODE_2 = Map.of(
            "PARLEY_DATA_DIR", "/data/broker-2",
            "PARLEY_KAFKA_PORT", "19001",
            "PARLEY_CONTROLLER_PORT", "19011",
            "PARLEY_BROKER_NODE_ID", "2",
            "PARLEY_BROKER_QUORUM_VOTERS", "1@127.0.0.1:19010,2@127.0.0.1:19011,3@127.0.0.1:19012",
            "PARLEY_BROKER_CLUSTER_ID", "abc",
            "PARLEY_START_TIMEOUT", "2m",
            "PARLEY_BROKER_CONFIG_MIN_INSYNC_REPLICAS", "2",
            "PARLEY_BROKER_CONFIG_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "3");

    @Test
    void aClusterNodeFromTheEnvironment() {
        BrokerSettings s = BrokerSettings.fromEnv(Env.of(NODE_2));

        assertThat(s.dataDir()).isEqualTo(Path.of("/data/broker-2"));
        assertThat(s.bindHost()).isEqualTo("127.0.0.1");
        assertThat(s.clientPort()).isEqualTo(19001);
        assertThat(s.controllerPort()).isEqualTo(19011);
        assertThat(s.startTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.membership()).isEqualTo(new ClusterMembership(2, "1@127.0.0.1:19010,2@127.0.0.1:19011,3@127.0.0.1:19012", "abc"));
        assertThat(s.overrides()).containsExactlyInAnyOrderEntriesOf(Map.of("min.insync.replicas", "2",
                "transaction.state.log.replication.factor", "3"));

        Properties p = EmbeddedKafkaBroker.brokerProperties(s, Path.of("/data/broker-2/kafka"), s.controllerPort());
        assertThat(p).containsEntry("node.id", "2")
                .containsEntry("controller.quorum.voters", "1@127.0.0.1:19010,2@127.0.0.1:19011,3@127.0.0.1:19012")
                .containsEntry("listeners", "PLAINTEXT://127.0.0.1:19001,CONTROLLER://127.0.0.1:19011")
                .as("the cluster's settings win over the single node's").containsEntry("min.insync.replicas", "2")
                .containsEntry("transaction.state.log.replication.factor", "3");
    }

    @Test
    void theSingleNodeIsItsOwnQuorum() {
        BrokerSettings s = BrokerSettings.ephemeral(Path.of("/data"));

        assertThat(s.membership()).isEqualTo(ClusterMembership.single());
        assertThat(EmbeddedKafkaBroker.brokerProperties(s, Path.of("/data/kafka"), 4242))
                .containsEntry("node.id", "1").containsEntry("controller.quorum.voters", "1@127.0.0.1:4242")
                .containsEntry("min.insync.replicas", "1");
    }

    @Test
    void inconsistentMembershipsAreRefused() {
        assertThatThrownBy(() -> new ClusterMembership(4, "1@h:1,2@h:2,3@h:3", null)).hasMessageContaining("do not include node 4");
        assertThatThrownBy(() -> new ClusterMembership(1, "11@h:1,2@h:2", null)).hasMessageContaining("do not include node 1");
        assertThatThrownBy(() -> new BrokerSettings(Path.of("/d"), null, null, 0, 0, null, Map.of(),
                new ClusterMembership(1, "1@h:1,2@h:2", null))).hasMessageContaining("fixed controller port");
        assertThatThrownBy(() -> BrokerSettings.fromEnv(Env.of(Map.of()))).hasMessageContaining("PARLEY_DATA_DIR");
    }
}
