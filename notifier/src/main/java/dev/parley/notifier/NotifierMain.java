package dev.parley.notifier;

import dev.parley.schemas.config.Env;
import java.util.concurrent.CountDownLatch;

/** Runs one notifier process configured from the environment (docs/operations.md, "Notifier"). */
public final class NotifierMain {

    private NotifierMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        NotifierService service = NotifierService.start(NotifierConfig.fromEnv(Env.system()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "parley-notifier-shutdown"));
        System.out.println("PARLEY_NOTIFIER_READY " + service.url());
        stopped.await();
    }
}
