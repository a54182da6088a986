package dev.parley.ops.chaos.fault;

import dev.parley.ops.cluster.NodeRole;

/** What a fault does to which kind of node. */
public enum FaultKind {
    /** SIGKILL of a broker; started again (same data) after the hold. */
    BROKER_KILL(NodeRole.BROKER, Action.KILL),
    /** SIGSTOP of a broker (a long GC pause, a hung VM), SIGCONT after the hold. */
    BROKER_PAUSE(NodeRole.BROKER, Action.PAUSE),
    /** SIGKILL of a topology instance; started again (same state dir) after the hold. */
    TOPOLOGY_KILL(NodeRole.TOPOLOGY, Action.KILL),
    /** SIGKILL of a gateway; started again after the hold. Its clients reconnect to the other one meanwhile. */
    GATEWAY_KILL(NodeRole.GATEWAY, Action.KILL),
    /** A clean restart (SIGTERM, then start) of a broker: a rolling upgrade's step. */
    BROKER_RESTART(NodeRole.BROKER, Action.RESTART),
    /** A clean restart of a topology instance. */
    TOPOLOGY_RESTART(NodeRole.TOPOLOGY, Action.RESTART),
    /** A clean restart of a gateway (it closes its connections with 1001). */
    GATEWAY_RESTART(NodeRole.GATEWAY, Action.RESTART);

    /** What happens to the process. */
    public enum Action { KILL, PAUSE, RESTART }

    private final NodeRole role;
    private final Action action;

    FaultKind(NodeRole role, Action action) {
        this.role = role;
        this.action = action;
    }

    public NodeRole role() {
        return role;
    }

    public Action action() {
        return action;
    }

    /** {@code broker-kill}, as printed. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
