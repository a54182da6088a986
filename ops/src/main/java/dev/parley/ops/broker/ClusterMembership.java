package dev.parley.ops.broker;

/**
 * Which KRaft node a broker is and which cluster it belongs to. Every node of {@code parley start} and of
 * {@code parley cluster} is combined (broker and controller in one process) with a static controller quorum.
 *
 * @param nodeId       {@code node.id}, 1 for the single-node runner
 * @param quorumVoters {@code controller.quorum.voters} of every node, e.g. {@code 1@127.0.0.1:19010,2@...};
 *                     null for a single node, which is then its own only voter
 * @param clusterId    the cluster id a new data dir is formatted with (every node of a cluster needs the same);
 *                     null for a random one. An existing data dir of another cluster is refused.
 */
public record ClusterMembership(int nodeId, String quorumVoters, String clusterId) {

    /** The node id of the single-node runner. */
    public static final int SINGLE_NODE_ID = 1;

    public ClusterMembership {
        if (nodeId < 0) {
            throw new IllegalArgumentException("node id must be >= 0, got " + nodeId);
        }
        quorumVoters = quorumVoters == null || quorumVoters.isBlank() ? null : quorumVoters.trim();
        clusterId = clusterId == null || clusterId.isBlank() ? null : clusterId.trim();
        if (quorumVoters != null && !quorumVoters.matches("(?:^|.*,)" + nodeId + "@.*")) {
            throw new IllegalArgumentException("the quorum voters " + quorumVoters + " do not include node " + nodeId);
        }
    }

    /** Node 1 of a cluster of its own, random cluster id: the local runner's broker. */
    public static ClusterMembership single() {
        return new ClusterMembership(SINGLE_NODE_ID, null, null);
    }

    /** True when this node is the only voter of its quorum. */
    public boolean isSingleNode() {
        return quorumVoters == null;
    }

    @Override
    public String toString() {
        return "node " + nodeId + (quorumVoters == null ? "" : " of " + quorumVoters) + (clusterId == null ? "" : " in " + clusterId);
    }
}
