package dev.parley.ops.chaos.fault;

import java.util.Objects;

/**
 * Which node a fault hits: a node by name, or a broker found when the fault is injected: the leader of a partition
 * of the log (where the topology's transactions write) or the active KRaft controller.
 *
 * @param node      the node's name ({@link Kind#NODE})
 * @param partition the log partition whose leader is meant ({@link Kind#LOG_LEADER})
 */
public record Target(Kind kind, String node, int partition) {

    /** How the node is chosen. */
    public enum Kind { NODE, LOG_LEADER, CONTROLLER }

    public Target {
        Objects.requireNonNull(kind, "kind");
    }

    public static Target node(String name) {
        return new Target(Kind.NODE, Objects.requireNonNull(name), -1);
    }

    public static Target logLeader(int partition) {
        return new Target(Kind.LOG_LEADER, null, partition);
    }

    public static Target controller() {
        return new Target(Kind.CONTROLLER, null, -1);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case NODE -> node;
            case LOG_LEADER -> "leader of log partition " + partition;
            case CONTROLLER -> "active controller";
        };
    }
}
