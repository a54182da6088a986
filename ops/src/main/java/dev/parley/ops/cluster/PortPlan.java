package dev.parley.ops.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Every port of a local cluster, fixed once when it starts and kept across restarts of its nodes (clients
 * reconnect to the same addresses, and the brokers' static controller quorum names the controller ports).
 *
 * <p>With a base port B: broker {@code i}'s Kafka port is B + i - 1 and its controller port B + 10 + i - 1,
 * the registry B + 20, topology {@code i} B + 30 + i - 1, gateway {@code i} B + 40 + i - 1; so B = 19000 gives
 * 19000-19002, 19010-19012, 19020, 19030-19031, 19040-19041 for the default cluster. Without one, every port is
 * an ephemeral one the OS hands out (all held open together while picking, so none is picked twice).
 */
public record PortPlan(List<Integer> brokers, List<Integer> controllers, int registry, List<Integer> topologies,
                       List<Integer> gateways) {

    /** Nodes of one role a plan has room for (the offsets are 10 apart). */
    public static final int SLOTS = 9;
    public static final int CONTROLLER_OFFSET = 10;
    public static final int REGISTRY_OFFSET = 20;
    public static final int TOPOLOGY_OFFSET = 30;
    public static final int GATEWAY_OFFSET = 40;
    /** Ports a base reserves: B to B + 49. */
    public static final int SPAN = 50;

    public PortPlan {
        brokers = List.copyOf(brokers);
        controllers = List.copyOf(controllers);
        topologies = List.copyOf(topologies);
        gateways = List.copyOf(gateways);
        if (brokers.size() != controllers.size()) {
            throw new IllegalArgumentException("one controller port per broker");
        }
        List<Integer> all = all(brokers, controllers, registry, topologies, gateways);
        if (all.stream().distinct().count() != all.size()) {
            throw new IllegalArgumentException("a port is used twice: " + all);
        }
    }

    /** The fixed layout above; see {@link #checkBase}. */
    public static PortPlan fromBase(int base, int brokerCount, int topologyCount, int gatewayCount) {
        checkBase(base);
        if (base == 0) {
            throw new IllegalArgumentException("base port 0 means ephemeral ports: use ephemeral(...)");
        }
        return new PortPlan(range(base, brokerCount), range(base + CONTROLLER_OFFSET, brokerCount), base + REGISTRY_OFFSET,
                range(base + TOPOLOGY_OFFSET, topologyCount), range(base + GATEWAY_OFFSET, gatewayCount));
    }

    /** Ephemeral ports on {@code host}, picked all at once. */
    public static PortPlan ephemeral(String host, int brokerCount, int topologyCount, int gatewayCount) {
        int count = 2 * brokerCount + 1 + topologyCount + gatewayCount;
        List<ServerSocket> held = new ArrayList<>();
        try {
            InetAddress address = InetAddress.getByName(host);
            for (int i = 0; i < count; i++) {
                ServerSocket s = new ServerSocket(0, 1, address);
                held.add(s);
            }
            List<Integer> ports = held.stream().map(ServerSocket::getLocalPort).toList();
            int b = brokerCount;
            return new PortPlan(ports.subList(0, b), ports.subList(b, 2 * b), ports.get(2 * b),
                    ports.subList(2 * b + 1, 2 * b + 1 + topologyCount), ports.subList(2 * b + 1 + topologyCount, count));
        } catch (IOException e) {
            throw new IllegalStateException("cannot pick free ports on " + host + ": " + e.getMessage(), e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing a listening socket we just opened
                }
            }
        }
    }

    /** 0 (ephemeral), or a base from 1024 whose whole span fits below 65536. */
    public static void checkBase(int base) {
        if (base != 0 && (base < 1024 || base + SPAN - 1 > 65535)) {
            throw new IllegalArgumentException("the base port must be 0 (ephemeral ports) or between 1024 and "
                    + (65536 - SPAN) + " (it uses base to base+" + (SPAN - 1) + "), got " + base);
        }
    }

    /** Every port of the plan. */
    public List<Integer> all() {
        return all(brokers, controllers, registry, topologies, gateways);
    }

    private static List<Integer> all(List<Integer> b, List<Integer> c, int r, List<Integer> t, List<Integer> g) {
        List<Integer> out = new ArrayList<>(b);
        out.addAll(c);
        out.add(r);
        out.addAll(t);
        out.addAll(g);
        return out;
    }

    private static List<Integer> range(int from, int count) {
        return IntStream.range(from, from + count).boxed().toList();
    }
}
