package dev.parley.ops.chaos.fault;

import dev.parley.ops.cluster.ClusterNode;
import dev.parley.ops.cluster.LocalCluster;
import dev.parley.ops.cluster.NodeRole;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * Injects a {@link Step}'s faults into a {@link LocalCluster}: SIGKILL, SIGSTOP/SIGCONT or a clean restart of real
 * processes, each fault on its own thread after its offset, the node brought back after its hold. Broker targets are
 * resolved when the fault starts: the current leader of a log partition ({@code describeTopics}) or the active
 * controller ({@code describeMetadataQuorum}).
 */
public final class FaultInjector {

    private final LocalCluster cluster;
    private final Admin admin;
    private final String logTopic;
    private final Duration readyTimeout;
    private final Consumer<String> say;

    public FaultInjector(LocalCluster cluster, Admin admin, String logTopic, Duration readyTimeout, Consumer<String> say) {
        this.cluster = cluster;
        this.admin = admin;
        this.logTopic = logTopic;
        this.readyTimeout = readyTimeout;
        this.say = say;
    }

    /** Runs the step's faults (overlapping as planned) and returns when every one is recovered. */
    public List<FaultRecord> run(Step step, int number) throws InterruptedException {
        List<FaultRecord> records = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (Step.Staggered s : step.faults()) {
            Thread t = new Thread(() -> {
                try {
                    long wait = start + s.offset().toNanos() - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    records.add(inject(s.fault(), number));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "chaos-fault-" + s.fault().kind().label());
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        return List.copyOf(records);
    }

    private FaultRecord inject(Fault f, int step) throws InterruptedException {
        String name;
        try {
            name = resolve(f.target());
        } catch (RuntimeException e) {
            long now = System.nanoTime();
            return new FaultRecord(f, step, "?", now, now, "cannot find the " + f.target() + ": " + e.getMessage());
        }
        ClusterNode node = cluster.node(name);
        long injected = System.nanoTime();
        try {
            switch (f.kind().action()) {
                case KILL -> {
                    node.kill();
                    say.accept(String.format("step %d: %s: SIGKILLed %s, down for %d s", step, f.kind().label(), name, f.hold().toSeconds()));
                    Thread.sleep(f.hold().toMillis());
                    node.startAndAwaitReady(readyTimeout);
                }
                case PAUSE -> {
                    node.pause();
                    say.accept(String.format("step %d: %s: SIGSTOPped %s for %d s", step, f.kind().label(), name, f.hold().toSeconds()));
                    Thread.sleep(f.hold().toMillis());
                    node.resume();
                    node.awaitReady(readyTimeout);
                }
                case RESTART -> {
                    say.accept(String.format("step %d: %s: restarting %s (SIGTERM, start)", step, f.kind().label(), name));
                    node.restart(cluster.settings().stopTimeout(), readyTimeout);
                }
            }
        } catch (RuntimeException e) {
            say.accept("step " + step + ": " + f + " on " + name + " FAILED: " + e.getMessage());
            return new FaultRecord(f, step, name, injected, System.nanoTime(), e.getMessage());
        }
        FaultRecord r = new FaultRecord(f, step, name, injected, System.nanoTime(), null);
        say.accept(String.format("step %d: %s: %s serves again, %.1f s after the fault", step, f.kind().label(), name, r.downMillis() / 1000.0));
        return r;
    }

    /** The node a target means right now. */
    String resolve(Target t) {
        return switch (t.kind()) {
            case NODE -> t.node();
            case LOG_LEADER -> NodeRole.BROKER.nodeName(leaderOf(t.partition()));
            case CONTROLLER -> NodeRole.BROKER.nodeName(controller());
        };
    }

    private int leaderOf(int partition) {
        try {
            List<TopicPartitionInfo> ps = admin.describeTopics(List.of(logTopic)).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(logTopic).partitions();
            Node leader = ps.get(partition % ps.size()).leader();
            if (leader == null || leader.isEmpty()) {
                throw new IllegalStateException(logTopic + "-" + partition + " has no leader");
            }
            return leader.id();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("describeTopics: " + e, e);
        }
    }

    private int controller() {
        try {
            return admin.describeMetadataQuorum().quorumInfo().get(10, TimeUnit.SECONDS).leaderId();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("describeMetadataQuorum: " + e, e);
        }
    }
}
