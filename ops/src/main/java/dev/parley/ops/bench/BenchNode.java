package dev.parley.ops.bench;

import dev.parley.notifier.NotifierConfig;
import dev.parley.notifier.NotifierService;

import dev.parley.gateway.GatewayConfig;
import dev.parley.gateway.GatewayServer;
import dev.parley.ops.runner.KafkaBrokerComponent;
import dev.parley.ops.runner.LocalStack;
import dev.parley.ops.runner.RegistryComponent;
import dev.parley.ops.runner.RunnerSettings;
import dev.parley.ops.runner.TopicsComponent;
import dev.parley.schemas.config.Env;
import dev.parley.topology.TopologyConfig;
import dev.parley.topology.TopologyService;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The main class of a benchmark child JVM. Roles: {@code kafka} (broker, Parley's topics and the schema
 * registry), {@code topology}, {@code gateway}, {@code eos-pipe} (the bare exactly-once baseline) and
 * {@code broadcast} (the raw Jetty baseline). Configured by PARLEY_* environment variables like the real
 * services; prints {@code BENCH_READY ...}, then answers {@code stats}, {@code gc} and {@code quit} on stdin.
 */
public final class BenchNode {

    private BenchNode() {
    }

    public static void main(String[] args) throws Exception {
        Env env = Env.system();
        ProcessProbe probe = new ProcessProbe();
        AutoCloseable running;
        String ready;
        switch (args[0].startsWith("gateway") ? "gateway" : args[0]) {
            case "kafka" -> {
                RunnerSettings s = RunnerSettings.ephemeral(Path.of(env.str("PARLEY_DATA_DIR", ".bench-data")));
                LocalStack stack = new LocalStack(s, List.of(new KafkaBrokerComponent(), new TopicsComponent(),
                        new RegistryComponent())).start();
                running = stack;
                ready = "bootstrap=" + stack.context().bootstrapServers() + " registry=" + stack.context().registryUrl().orElseThrow();
            }
            case "topology" -> {
                TopologyService t = TopologyService.start(TopologyConfig.fromEnv(env));
                long deadline = System.nanoTime() + 120_000_000_000L;
                while (!t.isRunning()) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("topology not RUNNING after 120 s");
                    }
                    Thread.sleep(50);
                }
                running = t;
                ready = "url=" + t.rpcUrl();
            }
            case "notifier" -> {
                NotifierService n = NotifierService.start(NotifierConfig.fromEnv(env));
                long deadline = System.nanoTime() + 120_000_000_000L;
                while (!n.isRunning()) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("notifier not RUNNING after 120 s");
                    }
                    Thread.sleep(50);
                }
                running = n;
                ready = "url=" + n.url();
            }
            case "gateway" -> {
                GatewayServer g = GatewayServer.start(GatewayConfig.fromEnv(env));
                running = g;
                ready = "ws=" + g.wsUrl() + " http=" + g.httpUrl();
            }
            case "eos-pipe" -> {
                EosPipe pipe = EosPipe.start(env);
                running = pipe;
                ready = "app=" + pipe.applicationId();
            }
            case "broadcast" -> {
                String window = env.str("PARLEY_BATCH_WINDOW", null);
                BroadcastServer b = BroadcastServer.start(window == null ? null : Env.parseDuration(window));
                running = b;
                ready = "ws=" + b.wsUrl();
            }
            default -> throw new IllegalArgumentException("unknown role " + args[0]);
        }
        System.out.println("BENCH_READY " + ready);
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            switch (line.trim()) {
                case "stats" -> System.out.println("BENCH_STATS " + probe.snapshot().encode());
                case "gc" -> System.out.println("BENCH_STATS " + probe.afterGc().encode());
                case "quit" -> {
                    running.close();
                    System.out.flush();
                    System.exit(0);
                }
                default -> {
                    // ignore
                }
            }
            System.out.flush();
        }
        running.close();
        System.exit(0);
    }
}
