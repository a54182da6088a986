package dev.parley.ops.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;

/**
 * Ready when the broker at {@code bootstrap} answers {@code describeCluster} and the cluster lists node
 * {@code nodeId} among its live (unfenced) brokers: it registered with the controller quorum and serves.
 */
public record KafkaReadiness(String bootstrap, int nodeId) implements ReadinessProbe {

    @Override
    public boolean isReady() {
        try (Admin admin = admin()) {
            return isListed(admin);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Waits for the port to accept connections first (quietly: an admin client logs every refused connection),
     * then asks with one admin client for the rest of the wait.
     */
    @Override
    public boolean await(Duration timeout, BooleanSupplier alive) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!accepts()) {
            if (!alive.getAsBoolean()) {
                return false;
            }
            if (System.nanoTime() > deadline) {
                throw new ClusterException("not ready within " + timeout.toSeconds() + " s: nothing listens on " + bootstrap);
            }
            Thread.sleep(200);
        }
        try (Admin admin = admin()) {
            while (true) {
                if (!alive.getAsBoolean()) {
                    return false;
                }
                if (isListed(admin)) {
                    return true;
                }
                if (System.nanoTime() > deadline) {
                    throw new ClusterException("not ready within " + timeout.toSeconds() + " s: " + describe());
                }
                Thread.sleep(200);
            }
        }
    }

    private boolean accepts() {
        int colon = bootstrap.lastIndexOf(':');
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(bootstrap.substring(0, colon), Integer.parseInt(bootstrap.substring(colon + 1))), 1000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, "parley-cluster-readiness-" + nodeId,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500));
    }

    private boolean isListed(Admin admin) throws InterruptedException {
        try {
            return admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000)).nodes().get(4, TimeUnit.SECONDS)
                    .stream().map(Node::id).anyMatch(id -> id == nodeId);
        } catch (ExecutionException | TimeoutException notYet) {
            return false;
        }
    }

    @Override
    public String describe() {
        return "Kafka at " + bootstrap + " lists node " + nodeId + " in describeCluster";
    }
}
