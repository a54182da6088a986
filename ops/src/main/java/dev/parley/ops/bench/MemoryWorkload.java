package dev.parley.ops.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * W6 memory: the gateway JVM's live heap (after full collections) with 10,000 idle authenticated
 * connections, minus the same with none, per connection. The clients live in the load generator's JVM.
 * Each connection is authenticated (hello/welcome) and idle; its user is in no channel.
 */
final class MemoryWorkload {

    static final int CONNECTIONS = 10_000;

    private MemoryWorkload() {
    }

    static void run(BenchContext ctx) throws Exception {
        Results r = ctx.results;
        if (ctx.gateway == null) {
            r.note("W6 skipped: it needs the gateway's JVM (embedded mode)");
            return;
        }
        int n = ctx.scaled(CONNECTIONS);
        long before = ctx.gateway.stats(true).heapUsed();
        try (ClientPool pool = ctx.pool()) {
            List<BenchClient> clients = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                clients.add(new BenchClient(ctx.tag + "-w6-u" + i, "d"));
            }
            ctx.log("W6: opening %d idle authenticated connections (gateway live heap before: %.1f MB)", n, before / 1e6);
            long t0 = System.nanoTime();
            List<Throwable> failures = pool.openAll(clients, c -> Map.of(), 256, Duration.ofSeconds(300));
            double openSeconds = (System.nanoTime() - t0) / 1e9;
            long open = clients.stream().filter(BenchClient::isOpen).count();
            Thread.sleep(2000);
            long after = ctx.gateway.stats(true).heapUsed();
            double perConnection = (after - before) / (double) Math.max(1, open);
            r.put("W6.connections", open);
            r.put("W6.failures", failures.size());
            r.put("W6.heap_before_mb", before / 1e6);
            r.put("W6.heap_after_mb", after / 1e6);
            r.put("W6.bytes_per_connection", perConnection);
            r.put("W6.open_s", openSeconds);
            if (!failures.isEmpty()) {
                r.note("W6 connect failure, e.g. " + failures.get(0));
            }
            ctx.log("W6: %d open (%d failed) in %.1f s; live heap %.1f -> %.1f MB = %.1f KB per connection", open,
                    failures.size(), openSeconds, before / 1e6, after / 1e6, perConnection / 1024);
        }
    }
}
