package dev.parley.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

    private static Results results() {
        Results r = new Results();
        LatencyRecorder ack = new LatencyRecorder("W1 send->ack");
        LatencyRecorder deliver = new LatencyRecorder("W1 send->deliver");
        for (int i = 1; i <= 100; i++) {
            ack.recordMicros(i * 500L); // p99 ~ 49.5 ms
            deliver.recordMicros(i * 1_000L); // p99 ~ 99 ms
        }
        r.latency(ack);
        r.latency(deliver);
        r.put("eos.p99_ms", 40);
        r.put("eos.records_per_s", 30_000);
        r.put("W2.sends_per_s", 15_000);
        r.put("W3.deliveries_per_s", 45_000);
        r.put("jetty.deliveries_per_s", 50_000);
        r.put("W6.bytes_per_connection", 12_000);
        r.put("W6.connections", 10_000);
        r.put("W6.failures", 0);
        r.put("W2.cpu_ms_per_send", 0.12);
        r.put("eos.cpu_ms_per_record", 0.03);
        r.ledgers.put("W1", new DeliveryLedger.Totals(200, 10, 20, 0, 0, 0));
        r.ledgers.put("W2", new DeliveryLedger.Totals(200, 10, 20, 0, 0, 0));
        r.ledgers.put("W3", new DeliveryLedger.Totals(200, 10, 20, 1, 0, 0));
        return r;
    }

    @Test
    void targetsAreJudgedAsRatiosOfTheSameRunsBaselines() {
        List<Targets.Verdict> v = Targets.judge(results());
        assertThat(v).extracting(Targets.Verdict::id).containsExactly("W1 send->ack", "W1 send->deliver", "W2", "W3", "W4", "W5", "W6",
                "CPU", "W7", "W8");
        assertThat(v.get(0).pass()).isTrue(); // 49.5 / 40 = 1.24x
        assertThat(v.get(0).measured()).contains("1.24x");
        assertThat(v.get(1).pass()).isFalse(); // 99 / 40 = 2.5x
        assertThat(v.get(2).pass()).isTrue(); // 15,000/s = 50 %
        assertThat(v.get(3).pass()).isFalse(); // 90 % but one delivery lost
        assertThat(v.get(4).pass()).isNull();
        assertThat(v.get(6).pass()).isTrue();
        assertThat(v.get(7).pass()).isFalse(); // 0.12 / 0.03 = 4x > 3x
        assertThat(v.get(7).measured()).isEqualTo("0.120 ms vs 0.030 ms = 4.0x");
        assertThat(v.get(8).pass()).isNull();
        assertThat(v.get(9).pass()).isNull();
    }

    @Test
    void cpuPerSendWithinThreeTimesThePipesCpuPerRecordPasses() {
        Results r = results();
        r.put("W2.cpu_ms_per_send", 0.09);
        assertThat(Targets.judge(r).get(7).pass()).isTrue(); // exactly 3x
        r.numbers.remove("eos.cpu_ms_per_record");
        assertThat(Targets.judge(r).get(7).pass()).isNull();
    }

    @Test
    void theStormIsJudgedAgainstTheCalmWindowsOfTheSameRun() {
        Results r = results();
        r.put("W7.calm_deliver_p99_ms", 40);
        r.put("W7.reconnect_storm_deliver_p99_ms", 44);
        r.put("W7.storm_deliver_p99_ms", 47);
        r.put("W7.storm_reconnects", 6000);
        r.put("W7.storm_connect_failures", 0);
        for (String w : List.of("W7 calm", "W7 reconnect storm", "W7 presence storm", "W7 calm after")) {
            r.ledgers.put(w, new DeliveryLedger.Totals(200, 10, 20, 0, 0, 0));
        }
        Targets.Verdict within = Targets.judge(r).get(8);
        assertThat(within.pass()).isTrue();
        assertThat(within.measured()).contains("47.0 ms vs 40.0 ms = 1.18x").contains("without presence 44.0 ms");

        r.put("W7.storm_deliver_p99_ms", 49);
        assertThat(Targets.judge(r).get(8).pass()).as("1.23x").isFalse();
        r.put("W7.storm_deliver_p99_ms", 47);
        r.ledgers.put("W7 presence storm", new DeliveryLedger.Totals(200, 10, 20, 1, 0, 0));
        assertThat(Targets.judge(r).get(8).pass()).as("a lost message fails it").isFalse();
    }

    @Test
    void routedFanOutIsJudgedAgainstTailModeInTheSameRun() {
        Results r = results();
        r.put("W8.tail.decoded_per_gateway_per_s", 1000);
        r.put("W8.routed.decoded_per_gateway_per_s", 250);
        r.put("W8.tail.gateway_cores_each", 0.11);
        r.put("W8.routed.gateway_cores_each", 0.08);
        r.put("W8.tail.deliver_p99_ms", 60);
        r.put("W8.routed.deliver_p99_ms", 65);
        r.ledgers.put("W8 tail", new DeliveryLedger.Totals(200, 10, 20, 0, 0, 0));
        r.ledgers.put("W8 routed", new DeliveryLedger.Totals(200, 10, 20, 0, 0, 0));
        Targets.Verdict quarter = Targets.judge(r).get(9);
        assertThat(quarter.id()).isEqualTo("W8");
        assertThat(quarter.pass()).isTrue();
        assertThat(quarter.measured()).contains("250 vs 1000 events/s = 0.25x");

        r.put("W8.routed.decoded_per_gateway_per_s", 400);
        assertThat(Targets.judge(r).get(9).pass()).as("0.40x: the gateways still read most of the log").isFalse();
        r.put("W8.routed.decoded_per_gateway_per_s", 250);
        r.ledgers.put("W8 routed", new DeliveryLedger.Totals(200, 10, 20, 0, 1, 0));
        assertThat(Targets.judge(r).get(9).pass()).as("a duplicated delivery fails it").isFalse();
    }

    @Test
    void runsAreAddedNewestFirstToTheTableAndTheDetails(@TempDir Path dir) throws Exception {
        Path md = dir.resolve("benchmarks.md");
        Files.writeString(md, "# Benchmarks\n\nIntro.\n\n## Runs\n\n" + ReportWriter.TABLE_HEADER + "\n" + ReportWriter.TABLE_MARKER
                + "\n\nText between.\n\n## Run details\n\n" + ReportWriter.RUNS_MARKER + "\n");
        Results r = results();
        RunInfo first = new RunInfo("20260101-000000", Instant.parse("2026-01-01T00:00:00Z"), "abc1234", "2 cores", "1.00/1.00/1.00",
                "2.00/1.50/1.10", "embedded", "dev");
        RunInfo second = new RunInfo("20260102-000000", Instant.parse("2026-01-02T00:00:00Z"), "def5678", "2 cores", "3.00/1.00/1.00",
                "4.00/1.50/1.10", "embedded", "full size");
        ReportWriter.append(md, "bench/20260101-000000.png", first, r, Targets.judge(r));
        ReportWriter.append(md, "bench/20260102-000000.png", second, r, Targets.judge(r));
        String doc = Files.readString(md);
        assertThat(doc).startsWith("# Benchmarks\n\nIntro.").contains("Text between.");
        assertThat(doc.indexOf("| 2026-01-02 00:00 | def5678 |")).isLessThan(doc.indexOf("| 2026-01-01 00:00 | abc1234 |"));
        assertThat(doc.indexOf("### 20260102-000000")).isLessThan(doc.indexOf("### 20260101-000000"));
        assertThat(doc).contains("| 49.5 ms (1.24x) |", "| 15000 (50%) |", "3.00/1.00/1.00 -> 4.00/1.50/1.10", "| 0.120 (4.0x) |",
                "![latency by percentile, 20260101-000000](bench/20260101-000000.png)", "| W3 | 10 | 20 | 1 | 0 | 0 |");
        assertThat(doc).doesNotContain("NaN");
    }

    @Test
    void transactionsPerWindowAreShownPerSendOfTheWindow() {
        Results r = results();
        r.transactions.add(new TxnCensus.Summary(new TxnCensus.Span("W2", "parley", 0, 10_000), 500, 21.6, 20, 44, 930.0, 1080,
                java.util.Map.of("parley.log", 900)));
        String section = ReportWriter.section(new RunInfo("x", Instant.EPOCH, "c", "m", "0/0/0", "0/0/0", "s", "l"), r, Targets.judge(r), null);
        // 50 transactions/s; 1,080 markers/s over 15,000 sends/s = 0.072 markers per send
        assertThat(section).contains("| W2 | 500 | 50.0 | 21.6 / 20 / 44 | 930.0 | 1080 | 0.072 |");
    }

    @Test
    void aMissingReportIsCreated(@TempDir Path dir) throws Exception {
        Path md = dir.resolve("new.md");
        Results r = results();
        ReportWriter.append(md, null, new RunInfo("x", Instant.EPOCH, "c", "m", "0/0/0", "0/0/0", "s", "l"), r, Targets.judge(r));
        assertThat(Files.readString(md)).contains(ReportWriter.TABLE_MARKER, ReportWriter.RUNS_MARKER, "### x");
    }

    @Test
    void thePlotIsAPng(@TempDir Path dir) throws Exception {
        Results r = results();
        Path png = dir.resolve("p/plot.png");
        PercentilePlot.write(png, "test", r.histograms);
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(png), 4);
        assertThat(head).containsExactly(0x89, 'P', 'N', 'G');
    }
}
