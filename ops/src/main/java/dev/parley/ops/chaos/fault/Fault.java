package dev.parley.ops.chaos.fault;

import java.time.Duration;
import java.util.Objects;

/**
 * One fault: what, on which node, and how long the node stays down or frozen before it is brought back.
 *
 * @param kind   what is done
 * @param target to which node
 * @param hold   how long a killed node stays down, or a paused one frozen; ignored by restarts
 */
public record Fault(FaultKind kind, Target target, Duration hold) {

    public Fault {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        hold = hold == null ? Duration.ZERO : hold;
        if (target.kind() != Target.Kind.NODE && kind.role() != dev.parley.ops.cluster.NodeRole.BROKER) {
            throw new IllegalArgumentException(kind + " needs a node, not the " + target);
        }
    }

    @Override
    public String toString() {
        return kind.label() + " " + target + (kind.action() == FaultKind.Action.RESTART ? "" : " for " + hold.toSeconds() + " s");
    }
}
