package dev.parley.ops.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * W8 gateway log-tail cost, tail vs routed fan-out (issue 15, docs/scaling.md). Four more gateways each serve a
 * quarter of 1,000 channels (both members of a channel on the channel's gateway); W1's load ({@code --steady-rate}
 * over all 1,000 channels) runs twice in the same run: with the four gateways in tail mode (each reads every log
 * partition) and in routed mode (each reads its own deliveries partition, which the router fills with the events of
 * the channels it follows). Per mode: log events each gateway decoded per second, records it read, its CPU, and W1's
 * send->deliver p99. The bench's own gateway is idle here and not counted.
 */
final class RoutedFanOutWorkload {

    static final int GATEWAYS = 4;
    static final int CHANNELS = 1_000;
    static final String DECODED = "parley_gateway_log_events_decoded_total";
    /** Routed mode: the records of its deliveries partition a gateway decoded and those it skipped by key. */
    static final List<String> ROUTED_READ = List.of("parley_gateway_deliveries_decoded_total", "parley_gateway_deliveries_skipped_total");

    private RoutedFanOutWorkload() {
    }

    static void run(BenchContext ctx) throws Exception {
        if (ctx.gatewayEnv == null) {
            ctx.results.note("W8 skipped: it starts four gateways, so it needs the embedded system (no --url)");
            return;
        }
        for (String mode : List.of("tail", "routed")) {
            phase(ctx, mode);
        }
        double tail = ctx.results.get("W8.tail.decoded_per_gateway_per_s");
        double routed = ctx.results.get("W8.routed.decoded_per_gateway_per_s");
        ctx.log("W8: log events decoded per gateway per second: tail %.0f, routed %.0f (%.2fx)", tail, routed, routed / tail);
    }

    private static void phase(BenchContext ctx, String mode) throws Exception {
        Results r = ctx.results;
        String p = "W8." + mode + ".";
        List<ChildProcess> gateways = new ArrayList<>();
        List<URI> http = new ArrayList<>();
        List<ClientPool> pools = new ArrayList<>();
        try {
            for (int i = 1; i <= GATEWAYS; i++) {
                Map<String, String> env = new LinkedHashMap<>(ctx.gatewayEnv);
                env.put("PARLEY_GATEWAY_ID", "gw-w8-" + mode + "-" + i);
                env.put("PARLEY_FANOUT", mode);
                ChildProcess g = ctx.launcher.start("gateway-w8-" + mode + "-" + i, env);
                gateways.add(g);
            }
            for (int i = 0; i < GATEWAYS; i++) {
                Map<String, String> ready = gateways.get(i).awaitReady(Duration.ofSeconds(120));
                http.add(URI.create(ready.get("http")));
                pools.add(new ClientPool(URI.create(ready.get("ws")), ctx.jwtSecret));
                ctx.processes.put("w8-gateway-" + (i + 1), StatsSource.of(gateways.get(i)));
            }
            int perGateway = Math.max(1, ctx.scaled(CHANNELS) / GATEWAYS);
            ctx.log("W8 %s: %d gateways, each with %d channels x 2 members", mode, GATEWAYS, perGateway);
            Rooms all = new Rooms();
            for (int i = 0; i < GATEWAYS; i++) {
                Rooms quarter = Rooms.setup(pools.get(i), ctx.tag + "-w8" + mode.charAt(0) + i, perGateway, 2, Duration.ofSeconds(300));
                all.channels.addAll(quarter.channels);
                all.members.addAll(quarter.members);
            }
            ThroughputWorkload.warmUp(ctx, all, ctx.warmup);
            List<String> reads = mode.equals("tail") ? List.of(DECODED) : ROUTED_READ; // tail mode decodes every record it reads
            long[] decodedBefore = scrape(http, List.of(DECODED));
            long[] readBefore = scrape(http, reads);
            long start = System.nanoTime();
            SteadyWorkload.Measured m = SteadyWorkload.measure(ctx, all, "W8 " + mode, "w8" + mode.charAt(0) + ".");
            double seconds = (System.nanoTime() - start) / 1e9;
            long[] decoded = minus(scrape(http, List.of(DECODED)), decodedBefore);
            long[] read = minus(scrape(http, reads), readBefore);
            double sumDecoded = 0;
            double sumRead = 0;
            for (int i = 0; i < GATEWAYS; i++) {
                sumDecoded += decoded[i];
                sumRead += read[i];
            }
            r.latency(m.tracker().deliver);
            r.put(p + "sent", m.count());
            r.put(p + "decoded_per_gateway_per_s", sumDecoded / GATEWAYS / seconds);
            r.put(p + "records_read_per_gateway_per_s", sumRead / GATEWAYS / seconds);
            r.put(p + "sends_per_s", m.count() / seconds);
            double cores = m.cpu().stream().filter(d -> d.process().startsWith("w8-gateway")).mapToDouble(ProcessStats.Delta::cores).sum();
            r.put(p + "gateway_cores_each", cores / GATEWAYS);
            r.put(p + "deliver_p99_ms", m.tracker().deliver.summary().p99());
            r.ledgers.put("W8 " + mode, m.totals());
            r.processes.put("W8 " + mode, m.cpu());
            ctx.log("W8 %s: decoded per gateway %s, read per gateway %s over %.0f s; deliver %s; %s", mode,
                    java.util.Arrays.toString(decoded), java.util.Arrays.toString(read), seconds,
                    m.tracker().deliver.summary(), m.totals());
        } finally {
            pools.forEach(ClientPool::close);
            for (int i = 0; i < gateways.size(); i++) {
                ctx.processes.remove("w8-gateway-" + (i + 1));
                gateways.get(i).close();
            }
        }
    }

    private static long[] minus(long[] a, long[] b) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] - b[i];
        }
        return out;
    }

    /** The sum of some counters on each gateway, from its Prometheus scrape (summed over their tags). */
    static long[] scrape(List<URI> gateways, List<String> counters) throws Exception {
        long[] out = new long[gateways.size()];
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < gateways.size(); i++) {
            HttpResponse<String> res = http.send(HttpRequest.newBuilder(gateways.get(i).resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (String counter : counters) {
                out[i] += (long) counterValue(res.body(), counter);
            }
        }
        return out;
    }

    /** Sum of the samples named {@code counter} in a Prometheus text exposition. */
    static double counterValue(String exposition, String counter) {
        double sum = 0;
        for (String line : exposition.split("\n")) {
            if (line.startsWith(counter + " ") || line.startsWith(counter + "{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim().toLowerCase(Locale.ROOT));
            }
        }
        return sum;
    }
}
