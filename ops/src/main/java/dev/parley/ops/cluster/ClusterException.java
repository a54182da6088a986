package dev.parley.ops.cluster;

/** The local cluster, or one of its nodes, could not do what was asked (start, become ready, stop). */
public final class ClusterException extends RuntimeException {

    public ClusterException(String message) {
        super(message);
    }

    public ClusterException(String message, Throwable cause) {
        super(message, cause);
    }
}
