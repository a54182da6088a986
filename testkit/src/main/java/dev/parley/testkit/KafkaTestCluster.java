package dev.parley.testkit;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real Kafka cluster in KRaft mode, started in this JVM from Maven Central artifacts
 * (Kafka's own {@link KafkaClusterTestKit}). Ports are ephemeral and data lives in a temp dir
 * that is deleted on close.
 */
public final class KafkaTestCluster implements AutoCloseable {

    private final KafkaClusterTestKit kit;
    private final int brokers;

    private KafkaTestCluster(KafkaClusterTestKit kit, int brokers) {
        this.kit = kit;
        this.brokers = brokers;
    }

    /** One combined broker+controller node: the default for tests. */
    public static KafkaTestCluster singleNode() {
        return start(new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1), 1);
    }

    /** Three brokers and one controller, for tests that need replication (RF 3, min ISR 2). */
    public static KafkaTestCluster threeBrokers() {
        return start(new TestKitNodes.Builder().setCombined(false).setNumBrokerNodes(3).setNumControllerNodes(1), 3);
    }

    private static KafkaTestCluster start(TestKitNodes.Builder nodes, int brokers) {
        short rf = (short) Math.min(3, brokers);
        try {
            KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(nodes.build())
                    .setConfigProp("offsets.topic.replication.factor", String.valueOf(rf))
                    .setConfigProp("transaction.state.log.replication.factor", String.valueOf(rf))
                    .setConfigProp("transaction.state.log.min.isr", String.valueOf(Math.min(2, rf)))
                    .setConfigProp("share.coordinator.state.topic.replication.factor", String.valueOf(rf))
                    .setConfigProp("share.coordinator.state.topic.min.isr", String.valueOf(Math.min(2, rf)))
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("auto.create.topics.enable", "false")
                    .setConfigProp("num.partitions", "1")
                    .build();
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            return new KafkaTestCluster(kit, brokers);
        } catch (Exception e) {
            throw new IllegalStateException("could not start the in-process Kafka cluster", e);
        }
    }

    public String bootstrapServers() {
        return kit.bootstrapServers();
    }

    public int brokerCount() {
        return brokers;
    }

    /** A new Admin client; the caller closes it. */
    public Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(props);
    }

    /** Client properties with just the bootstrap servers set. */
    public Map<String, Object> clientProps() {
        return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    }

    /** Stops one broker abruptly-ish (its process part), for failover tests. */
    public void shutdownBroker(int brokerId) {
        kit.brokers().get(brokerId).shutdown();
        kit.brokers().get(brokerId).awaitShutdown();
    }

    /** The underlying test kit, for tests that need more control. */
    public KafkaClusterTestKit kit() {
        return kit;
    }

    @Override
    public void close() {
        try {
            kit.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the in-process Kafka cluster", e);
        }
    }
}
