package dev.parley.ops.broker;

import dev.parley.schemas.config.Env;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one Kafka node ({@link EmbeddedKafkaBroker}) configured from the environment
 * ({@link BrokerSettings#fromEnv}) until SIGTERM: the broker processes of {@code parley cluster}.
 */
public final class BrokerMain {

    private BrokerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerSettings.fromEnv(Env.system()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "parley-broker-shutdown"));
        System.out.println("PARLEY_BROKER_READY " + broker.bootstrapServers());
        stopped.await();
    }
}
