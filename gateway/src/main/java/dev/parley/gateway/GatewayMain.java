package dev.parley.gateway;

import dev.parley.gateway.web.ChatPage;
import dev.parley.schemas.config.Env;
import java.util.concurrent.CountDownLatch;

/** Runs one gateway configured from the environment (docs/operations.md), with the browser chat page at {@code /}. */
public final class GatewayMain {

    private GatewayMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        GatewayServer gateway = GatewayServer.start(GatewayConfig.fromEnv(Env.system()), ChatPage.fromClasspath());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            stopped.countDown();
        }, "parley-gateway-shutdown"));
        System.out.println("PARLEY_GATEWAY_READY " + gateway.wsUrl());
        stopped.await();
    }
}
