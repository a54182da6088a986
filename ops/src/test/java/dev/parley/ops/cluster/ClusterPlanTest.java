package dev.parley.ops.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The settings every node of the default cluster gets (no process is started), and that compose.yaml agrees. */
class ClusterPlanTest {

    private static final Path DATA = Path.of("/tmp/parley-plan-test");
    private final ClusterSettings settings = ClusterSettings.defaults(DATA).withPortBase(19000);
    private final ClusterPlan plan = ClusterPlan.of(settings, PortPlan.fromBase(19000, 3, 2, 2), "cluster-id-1",
            Map.of("PATH", "/usr/bin", "PARLEY_COMMIT_INTERVAL", "50ms", "PARLEY_KAFKA_PORT", "9092", "PARLEY_GATEWAY_PORT", "8080"));

    @Test
    void theNodesInStartOrder() {
        assertThat(plan.nodes()).extracting(NodeSpec::name).containsExactly(
                "broker-1", "broker-2", "broker-3", "registry", "topology-1", "topology-2", "gateway-1", "gateway-2");
        assertThat(plan.nodes()).extracting(NodeSpec::logFile).doesNotHaveDuplicates()
                .allMatch(f -> f.startsWith(DATA.resolve("logs")));
        assertThat(plan.nodes()).extracting(NodeSpec::dataDir).doesNotHaveDuplicates().allMatch(d -> d.startsWith(DATA));
        assertThat(plan.bootstrapServers()).isEqualTo("127.0.0.1:19000,127.0.0.1:19001,127.0.0.1:19002");
        assertThat(plan.gatewayUrls()).hasToString("[http://127.0.0.1:19040, http://127.0.0.1:19041]");
    }

    @Test
    void brokersFormOneQuorumWithComposesReplication() {
        List<NodeSpec> brokers = plan.nodes(NodeRole.BROKER);
        for (int i = 0; i < 3; i++) {
            Map<String, String> env = brokers.get(i).env();
            assertThat(env).containsEntry("PARLEY_BROKER_NODE_ID", String.valueOf(i + 1))
                    .containsEntry("PARLEY_BROKER_QUORUM_VOTERS", "1@127.0.0.1:19010,2@127.0.0.1:19011,3@127.0.0.1:19012")
                    .containsEntry("PARLEY_BROKER_CLUSTER_ID", "cluster-id-1")
                    .containsEntry("PARLEY_KAFKA_PORT", String.valueOf(19000 + i))
                    .containsEntry("PARLEY_CONTROLLER_PORT", String.valueOf(19010 + i))
                    .containsEntry("PARLEY_BIND_HOST", "127.0.0.1")
                    .containsEntry("PARLEY_DATA_DIR", DATA.resolve("broker-" + (i + 1)).toString())
                    .containsEntry("PARLEY_BROKER_CONFIG_MIN_INSYNC_REPLICAS", "2")
                    .containsEntry("PARLEY_BROKER_CONFIG_DEFAULT_REPLICATION_FACTOR", "3")
                    .containsEntry("PARLEY_BROKER_CONFIG_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "3")
                    .containsEntry("PARLEY_BROKER_CONFIG_TRANSACTION_STATE_LOG_MIN_ISR", "2")
                    .containsEntry("PARLEY_BROKER_CONFIG_OFFSETS_TOPIC_REPLICATION_FACTOR", "3")
                    .containsEntry("PARLEY_BROKER_CONFIG_UNCLEAN_LEADER_ELECTION_ENABLE", "false");
            assertThat(brokers.get(i).readiness()).isEqualTo(new KafkaReadiness("127.0.0.1:" + (19000 + i), i + 1));
        }
    }

    @Test
    void servicesShareOneClusterAndTopologiesKeepAStandby() {
        for (NodeSpec n : plan.nodes()) {
            if (n.role() != NodeRole.BROKER) {
                assertThat(n.env()).containsEntry("PARLEY_BOOTSTRAP_SERVERS", plan.bootstrapServers())
                        .containsEntry("PARLEY_SCHEMA_REGISTRY_URL", "http://127.0.0.1:19020")
                        .containsEntry("PARLEY_REPLICATION_FACTOR", "3")
                        .containsEntry("PARLEY_MIN_INSYNC_REPLICAS", "2")
                        .containsEntry("PARLEY_PARTITIONS", "12")
                        .doesNotContainKey("PARLEY_KAFKA_PORT");
            }
        }
        NodeSpec t2 = plan.nodes(NodeRole.TOPOLOGY).get(1);
        assertThat(t2.env()).containsEntry("PARLEY_STANDBY_REPLICAS", "1")
                .containsEntry("PARLEY_TOPOLOGY_RPC_PORT", "19031")
                .containsEntry("PARLEY_TOPOLOGY_RPC_BIND", "127.0.0.1")
                .containsEntry("PARLEY_STATE_DIR", DATA.resolve("topology-2").resolve("streams").toString())
                .containsEntry("PARLEY_STREAM_THREADS", "2")
                .as("the operator's environment wins over compose's defaults").containsEntry("PARLEY_COMMIT_INTERVAL", "50ms");
        assertThat(t2.readiness()).isEqualTo(new HttpReadiness(java.net.URI.create("http://127.0.0.1:19031/health"), "RUNNING"));
        NodeSpec g2 = plan.nodes(NodeRole.GATEWAY).get(1);
        assertThat(g2.env()).containsEntry("PARLEY_GATEWAY_ID", "gw-2")
                .as("the cluster's own port wins over the environment's").containsEntry("PARLEY_GATEWAY_PORT", "19041")
                .containsEntry("PARLEY_GATEWAY_BIND", "127.0.0.1")
                .containsEntry("PARLEY_TOPOLOGY_URLS", "http://127.0.0.1:19030,http://127.0.0.1:19031")
                .containsEntry("PARLEY_DEV_MODE", "true")
                .as("several gateways route their fan-out").containsEntry("PARLEY_FANOUT", "routed")
                .containsEntry("PATH", "/usr/bin");
        assertThat(plan.nodes(NodeRole.REGISTRY).get(0).env()).containsEntry("PARLEY_REGISTRY_HOST", "127.0.0.1")
                .containsEntry("PARLEY_REGISTRY_PORT", "19020");
    }

    @Test
    void smallerClustersScaleReplicationDown() {
        ClusterSettings one = ClusterSettings.defaults(DATA).withNodes(1, 1, 1);
        assertThat(one.replicationFactor()).isEqualTo((short) 1);
        assertThat(one.minInsyncReplicas()).isEqualTo(1);
        assertThat(one.standbyReplicas()).isZero();
        assertThat(ClusterSettings.defaults(DATA).withNodes(2, 2, 1).minInsyncReplicas()).isEqualTo(1);
        assertThatThrownBy(() -> ClusterSettings.defaults(DATA).withNodes(0, 1, 1)).hasMessageContaining("brokers");
        assertThatThrownBy(() -> ClusterSettings.defaults(DATA).withNodes(3, 10, 1)).hasMessageContaining("topologies");
    }

    /** docker/compose.yaml describes the same cluster: keep them in step. */
    @Test
    void composeYamlHasTheSameSettings() throws IOException {
        String compose = Files.readString(Path.of("..", "docker", "compose.yaml"));
        Map<String, String> broker = ClusterPlan.brokerConfig(settings);
        for (String property : List.of("default.replication.factor", "min.insync.replicas", "offsets.topic.replication.factor",
                "transaction.state.log.replication.factor", "transaction.state.log.min.isr",
                "share.coordinator.state.topic.replication.factor", "share.coordinator.state.topic.min.isr",
                "unclean.leader.election.enable", "auto.create.topics.enable")) {
            String variable = "KAFKA_" + property.toUpperCase(java.util.Locale.ROOT).replace('.', '_');
            assertThat(value(compose, variable)).as(variable).isEqualTo(broker.get(property));
        }
        assertThat(value(compose, "PARLEY_REPLICATION_FACTOR")).isEqualTo(String.valueOf(settings.replicationFactor()));
        assertThat(value(compose, "PARLEY_MIN_INSYNC_REPLICAS")).isEqualTo(String.valueOf(settings.minInsyncReplicas()));
        assertThat(value(compose, "PARLEY_STANDBY_REPLICAS")).isEqualTo(String.valueOf(settings.standbyReplicas()));
        ClusterPlan.TOPOLOGY_DEFAULTS.forEach((k, v) -> assertThat(value(compose, k)).as(k).isEqualTo(v));
        ClusterPlan.GATEWAY_DEFAULTS.forEach((k, v) -> assertThat(value(compose, k)).as(k).isEqualTo(v));
        assertThat(compose).contains("kafka-1:", "kafka-2:", "kafka-3:", "topology-1:", "topology-2:", "gateway-1:", "gateway-2:");
    }

    /** The value of {@code NAME: value} in the YAML (one definition expected), quotes removed. */
    private static String value(String yaml, String name) {
        Matcher m = Pattern.compile("(?m)^\\s+" + name + ":\\s*\"?([^\"\\s#]+)\"?").matcher(yaml);
        assertThat(m.find()).as(name + " in compose.yaml").isTrue();
        String v = m.group(1);
        assertThat(m.find()).as(name + " is set once").isFalse();
        return v;
    }
}
