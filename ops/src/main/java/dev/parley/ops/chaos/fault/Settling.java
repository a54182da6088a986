package dev.parley.ops.chaos.fault;

import dev.parley.ops.cluster.ClusterNode;
import dev.parley.ops.cluster.LocalCluster;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * Waits, between steps, until the cluster is whole again: every node running and serving, and every partition
 * (Parley's, Streams' and Kafka's own) with all its replicas in sync. Without it a broker fault right after a broker
 * restart would meet partitions whose only in-sync replicas are the restarted broker's peers.
 */
public final class Settling {

    private final LocalCluster cluster;
    private final Admin admin;

    public Settling(LocalCluster cluster, Admin admin) {
        this.cluster = cluster;
        this.admin = admin;
    }

    /** @return null once settled, else what is still missing when {@code timeout} ran out */
    public String await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String missing;
        while ((missing = missing()) != null) {
            if (System.nanoTime() > deadline) {
                return missing;
            }
            Thread.sleep(1000);
        }
        return null;
    }

    /** What keeps the cluster from being whole, or null. */
    String missing() throws InterruptedException {
        for (ClusterNode n : cluster.nodes()) {
            if (!n.isRunning()) {
                return n.name() + " is not running";
            }
            if (!n.spec().readiness().isReady()) {
                return n.name() + " does not serve (" + n.spec().readiness().describe() + ")";
            }
        }
        try {
            Collection<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(10, TimeUnit.SECONDS);
            for (TopicDescription t : admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).values()) {
                for (TopicPartitionInfo p : t.partitions()) {
                    if (p.isr().size() < p.replicas().size()) {
                        return t.name() + "-" + p.partition() + " has " + p.isr().size() + " of " + p.replicas().size() + " replicas in sync";
                    }
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            return "describeTopics: " + e.getMessage();
        }
        return null;
    }
}
