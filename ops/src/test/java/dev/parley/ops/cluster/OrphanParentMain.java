package dev.parley.ops.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The parent JVM of {@link ClusterNodeTest#aNodeDiesWithItsParentEvenOnSigkill}: starts one sleeper node the way
 * the cluster does, prints {@code CHILD_PID <pid>}, then waits to be killed.
 */
public final class OrphanParentMain {

    private OrphanParentMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        ClusterNode node = ClusterNodeTest.sleeper(Path.of(args[0]));
        node.startAndAwaitReady(Duration.ofMinutes(2));
        System.out.println("CHILD_PID " + node.pid().orElseThrow());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
