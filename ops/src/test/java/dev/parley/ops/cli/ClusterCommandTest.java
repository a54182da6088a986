package dev.parley.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.ops.cluster.ClusterSettings;
import dev.parley.ops.cluster.LocalCluster;
import dev.parley.ops.cluster.PortPlan;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code parley cluster}'s port map and its refusals, without starting processes (LocalClusterIT starts them). */
class ClusterCommandTest {

    @TempDir
    Path dir;

    @Test
    void thePortMapNamesEveryNodeItsPortsAndLogAndWhereToConnect() {
        LocalCluster cluster = LocalCluster.create(ClusterSettings.defaults(dir)); // ephemeral ports, nothing started
        PortPlan p = cluster.plan().ports();
        StringWriter text = new StringWriter();

        ClusterCommand.printSummary(new PrintWriter(text), cluster);

        assertThat(text.toString())
                .contains("3 brokers (RF 3, min ISR 2, transaction.version 0), registry, 2 topologies (1 standby), 2 gateways")
                .containsPattern("broker-1 +- +kafka " + p.brokers().get(0) + ", controller " + p.controllers().get(0) + " +.*logs/broker-1.log")
                .containsPattern("broker-3 +- +kafka " + p.brokers().get(2) + ", controller " + p.controllers().get(2))
                .containsPattern("registry +- +http " + p.registry())
                .containsPattern("topology-2 +- +rpc " + p.topologies().get(1))
                .containsPattern("gateway-2 +- +http " + p.gateways().get(1) + " +.*logs/gateway-2.log")
                .contains("Kafka bootstrap servers  127.0.0.1:" + p.brokers().get(0) + ",127.0.0.1:" + p.brokers().get(1)
                        + ",127.0.0.1:" + p.brokers().get(2))
                .contains("Chat in the browser      http://127.0.0.1:" + p.gateways().get(0) + "/  http://127.0.0.1:"
                        + p.gateways().get(1) + "/  (any gateway)")
                .contains("Dev token                curl -s -X POST http://127.0.0.1:" + p.gateways().get(0) + "/api/dev/token")
                .contains("!! DEV MODE")
                .contains("Kafka cluster id " + cluster.clusterId())
                .contains("Stop with Ctrl-C.");
    }

    @Test
    void badLayoutsAreRefusedBeforeAnythingStarts() {
        CliRun noBrokers = CliRun.of("cluster", "--brokers", "0", "--data-dir", dir.resolve("a").toString());
        CliRun lowBase = CliRun.of("cluster", "--port-base", "80", "--data-dir", dir.resolve("b").toString());
        LocalCluster.create(ClusterSettings.defaults(dir.resolve("c"))); // a 3-broker data dir
        CliRun otherLayout = CliRun.of("cluster", "--brokers", "1", "--data-dir", dir.resolve("c").toString());

        assertThat(noBrokers.code()).isEqualTo(2);
        assertThat(noBrokers.err()).contains("brokers must be between 1 and 9");
        assertThat(lowBase.code()).isEqualTo(2);
        assertThat(lowBase.err()).contains("base port must be 0 (ephemeral ports) or between 1024");
        assertThat(otherLayout.code()).isEqualTo(2);
        assertThat(otherLayout.err()).contains("holds a cluster of 3 brokers, not 1", "--brokers 3");
        assertThat(noBrokers.out() + lowBase.out() + otherLayout.out()).doesNotContain("is up");
    }
}
