package dev.parley.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny run of the raw Jetty broadcast baseline end to end: a child JVM ({@link BenchNode} role broadcast),
 * 20 real WebSocket clients, one second of sends. Checks the plumbing (ready line, stats probe, pacing,
 * delivery accounting), never a speed.
 */
class BroadcastSmokeTest {

    @Test
    void aShortBroadcastRunDeliversEveryFrameToEveryClientOnce(@TempDir Path dir) throws Exception {
        PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
        BenchContext ctx = new BenchContext(URI.create("ws://127.0.0.1:1/ws"), null, BenchRun.defaultSecret(), Duration.ofMillis(200),
                Duration.ofSeconds(1), Duration.ofSeconds(1), 0.02, "smoke", dir, quiet, 20,
                (role, env) -> ChildProcess.start(role, env, List.of("-Xmx128m"), dir), 1, false);
        ctx.processes.put("loadgen", StatsSource.self(new ProcessProbe()));

        JettyBroadcastBaseline.run(ctx);

        Results r = ctx.results;
        DeliveryLedger.Totals t = r.ledgers.get("Jetty broadcast");
        assertThat(t.streams()).isEqualTo(20);
        assertThat(t.acked()).isEqualTo(60); // 50/s for 1.2 s
        assertThat(t.delivered()).isEqualTo(20 * 60);
        assertThat(t.clean()).isTrue();
        assertThat(r.latencies.get("Jetty broadcast send->deliver").count()).isEqualTo(20 * 50);
        assertThat(r.processes.get("Jetty broadcast")).extracting(ProcessStats.Delta::process).containsExactly("loadgen", "broadcast");
    }
}
