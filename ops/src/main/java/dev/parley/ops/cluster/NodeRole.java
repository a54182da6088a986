package dev.parley.ops.cluster;

import dev.parley.gateway.GatewayMain;
import dev.parley.ops.broker.BrokerMain;
import dev.parley.schemas.registry.server.SchemaRegistryServer;
import dev.parley.topology.TopologyMain;
import java.util.List;

/**
 * What a process of the local cluster runs: the same main classes as the Docker images (a Kafka node of the
 * local runner's broker code for the brokers), each with a default heap sized for one developer machine.
 */
public enum NodeRole {
    BROKER("broker", BrokerMain.class.getName(), List.of("-Xms128m", "-Xmx512m")),
    REGISTRY("registry", SchemaRegistryServer.class.getName(), List.of("-Xms32m", "-Xmx192m")),
    TOPOLOGY("topology", TopologyMain.class.getName(), List.of("-Xms128m", "-Xmx768m")),
    GATEWAY("gateway", GatewayMain.class.getName(), List.of("-Xms64m", "-Xmx512m"));

    private final String prefix;
    private final String mainClass;
    private final List<String> heap;

    NodeRole(String prefix, String mainClass, List<String> heap) {
        this.prefix = prefix;
        this.mainClass = mainClass;
        this.heap = heap;
    }

    /** A node's name: {@code broker-1}, {@code registry}, {@code topology-2}, {@code gateway-1}. */
    public String nodeName(int index) {
        return this == REGISTRY ? prefix : prefix + "-" + index;
    }

    public String mainClass() {
        return mainClass;
    }

    /** {@code -Xms}/{@code -Xmx} of this role's JVMs. */
    public List<String> heap() {
        return heap;
    }
}
