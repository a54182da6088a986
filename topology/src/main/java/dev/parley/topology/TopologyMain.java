package dev.parley.topology;

import dev.parley.schemas.config.Env;
import java.util.concurrent.CountDownLatch;

/** Runs one topology instance configured from the environment (docs/operations.md). */
public final class TopologyMain {

    private TopologyMain() {
    }

    public static void main(String[] args) throws InterruptedException {
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
