package dev.parley.topology;

import dev.parley.schemas.config.Env;
import dev.parley.topology.rebuild.StateRebuild;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one topology instance configured from the environment (docs/operations.md); with the argument
 * {@code rebuild-state}, rebuilds the state of a stopped topology from the log and exits ({@link StateRebuild}).
 */
public final class TopologyMain {

    private TopologyMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0 && args[0].equals("rebuild-state")) {
            StateRebuild.Report report = StateRebuild.run(TopologyConfig.fromEnv(Env.system()));
            System.out.println("PARLEY_STATE_REBUILT " + report.logRecords() + " log records in " + report.took().toSeconds() + " s");
            return;
        }
        TopologyService service = TopologyService.start(TopologyConfig.fromEnv(Env.system()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "parley-topology-shutdown"));
        System.out.println("PARLEY_TOPOLOGY_READY " + service.rpcUrl());
        stopped.await();
    }
}
