package dev.parley.ops.cluster;

import java.util.concurrent.CountDownLatch;

/** A stand-in node for the process tests: says it is up, then waits; its shutdown hook says it stopped cleanly. */
public final class SleeperMain {

    private SleeperMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("sleeper stopped cleanly")));
        System.out.println("sleeper up");
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
