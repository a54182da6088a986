package dev.parley.ops.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Appends a run to docs/benchmarks.md: a row in the table of runs (newest first, after the
 * {@value #TABLE_MARKER} line) and a section with every number (after the {@value #RUNS_MARKER} line).
 */
final class ReportWriter {

    static final String TABLE_MARKER = "<!-- bench:runs-table -->";
    static final String RUNS_MARKER = "<!-- bench:runs -->";
    static final String TABLE_HEADER = "| date (UTC) | commit | label | machine | load avg start -> end | W1 ack p99 (x EOS) "
            + "| W1 deliver p99 (x EOS) | W2 sends/s (of EOS) | W3 deliveries/s (of Jetty) | W4 worst s | W5 synced s / errors "
            + "| W6 KB/conn | targets | CPU ms/send (x EOS per record) |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|";

    private ReportWriter() {
    }

    static void append(Path markdown, String plotRelative, RunInfo run, Results r, List<Targets.Verdict> verdicts) throws IOException {
        String doc = Files.exists(markdown) ? Files.readString(markdown) : skeleton();
        if (!doc.contains(TABLE_MARKER)) {
            doc = doc + "\n## Runs\n\n" + TABLE_HEADER + "\n" + TABLE_MARKER + "\n";
        }
        if (!doc.contains(RUNS_MARKER)) {
            doc = doc + "\n## Run details\n\n" + RUNS_MARKER + "\n";
        }
        doc = insertAfter(doc, TABLE_MARKER, row(run, r, verdicts));
        doc = insertAfter(doc, RUNS_MARKER, "\n" + section(run, r, verdicts, plotRelative));
        Files.writeString(markdown, doc, StandardCharsets.UTF_8);
    }

    static String skeleton() {
        return "# Benchmarks\n\n## Runs\n\n" + TABLE_HEADER + "\n" + TABLE_MARKER + "\n\n## Run details\n\n" + RUNS_MARKER + "\n";
    }

    private static String insertAfter(String doc, String marker, String text) {
        int i = doc.indexOf(marker) + marker.length();
        return doc.substring(0, i) + "\n" + text.stripTrailing() + doc.substring(i);
    }

    static String row(RunInfo run, Results r, List<Targets.Verdict> v) {
        double eos = r.get("eos.p99_ms");
        long passed = v.stream().filter(x -> Boolean.TRUE.equals(x.pass())).count();
        long judged = v.stream().filter(x -> x.pass() != null).count();
        return "| " + DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC).format(run.started())
                + " | " + run.commit() + " | " + run.label() + " | " + run.machine() + " | " + run.loadStart() + " -> " + run.loadEnd()
                + " | " + p99Ratio(r, "W1 send->ack", eos) + " | " + p99Ratio(r, "W1 send->deliver", eos)
                + " | " + ratio(r.get("W2.sends_per_s"), r.get("eos.records_per_s"), "%.0f (%.0f%%)", true)
                + " | " + ratio(r.get("W3.deliveries_per_s"), r.get("jetty.deliveries_per_s"), "%.0f (%.0f%%)", true)
                + " | " + num("%.3f", r.get("W4.max_s"))
                + " | " + num("%.2f", r.get("W5.all_synced_s")) + " / " + num("%.0f", r.get("W5.errors"))
                + " | " + num("%.1f", r.get("W6.bytes_per_connection") / 1000)
                + " | " + passed + "/" + judged + " pass"
                + " | " + cpuRatio(r.get("W2.cpu_ms_per_send"), r.get("eos.cpu_ms_per_record")) + " |";
    }

    private static String p99Ratio(Results r, String path, double base) {
        LatencyRecorder.Summary s = r.latencies.get(path);
        if (s == null) {
            return "-";
        }
        return Double.isNaN(base) ? num("%.1f ms", s.p99()) : Targets.f("%.1f ms (%.2fx)", s.p99(), s.p99() / base);
    }

    /** The rate a window was measured at: sends/s for Parley's, records/s for a pipe's. */
    static double operationsPerSecond(Results r, String window) {
        if (window.equals("W1")) {
            return r.get("W1.acked_per_s");
        }
        if (window.equals("W2")) {
            return r.get("W2.sends_per_s");
        }
        if (window.endsWith(" @2000/s")) {
            return SteadyWorkload.RATE;
        }
        if (window.endsWith(" saturation")) {
            return r.get(window.substring(0, window.length() - " saturation".length()) + ".records_per_s");
        }
        return Double.NaN;
    }

    private static String cpuRatio(double perSend, double perRecord) {
        if (Double.isNaN(perSend)) {
            return "-";
        }
        return Double.isNaN(perRecord) ? num("%.3f", perSend) : Targets.f("%.3f (%.1fx)", perSend, perSend / perRecord);
    }

    private static String ratio(double v, double base, String format, boolean percent) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (Double.isNaN(base)) {
            return num("%.0f", v);
        }
        return Targets.f(format, v, percent ? 100 * v / base : v / base);
    }

    private static String num(String format, double v) {
        return Double.isNaN(v) ? "-" : Targets.f(format, v);
    }

    static String section(RunInfo run, Results r, List<Targets.Verdict> verdicts, String plotRelative) {
        StringBuilder sb = new StringBuilder();
        sb.append("### ").append(run.id()).append(" — ").append(run.label()).append(" (commit ").append(run.commit()).append(")\n\n");
        sb.append("Machine: ").append(run.machine()).append(". Load average (1/5/15 min) at start ").append(run.loadStart())
                .append(", at end ").append(run.loadEnd()).append(".  \n");
        sb.append("Settings: ").append(run.settings()).append(".\n\n");
        sb.append("| target | measured | result |\n|---|---|---|\n");
        for (Targets.Verdict v : verdicts) {
            sb.append("| ").append(v.id()).append(": ").append(v.target()).append(" | ").append(v.measured()).append(" | ")
                    .append(v.result()).append(" |\n");
        }
        if (!r.latencies.isEmpty()) {
            sb.append("\n| latency (ms) | n | p50 | p90 | p99 | p99.9 | max |\n|---|---|---|---|---|---|---|\n");
            r.latencies.forEach((name, s) -> sb.append(Targets.f("| %s | %d | %.1f | %.1f | %.1f | %.1f | %.1f |\n", name, s.count(),
                    s.p50(), s.p90(), s.p99(), s.p999(), s.max())));
        }
        sb.append("\n| number | value |\n|---|---|\n");
        r.numbers.forEach((k, v) -> sb.append("| ").append(k).append(" | ").append(Targets.f(Math.abs(v) >= 100 ? "%.0f" : "%.3f", v))
                .append(" |\n"));
        if (!r.ledgers.isEmpty()) {
            sb.append("\n| deliveries | acked | delivered | lost | duplicated | out of order |\n|---|---|---|---|---|---|\n");
            r.ledgers.forEach((k, t) -> sb.append(Targets.f("| %s | %d | %d | %d | %d | %d |\n", k, t.acked(), t.delivered(), t.lost(),
                    t.duplicates(), t.outOfOrder())));
        }
        if (!r.processes.isEmpty()) {
            sb.append("\n| window | process | CPU (cores) | of which JIT | heap at end (MB) | GC pauses | GC pause total (ms) | longest (ms) |\n"
                    + "|---|---|---|---|---|---|---|---|\n");
            r.processes.forEach((w, list) -> list.forEach(d -> sb.append(Targets.f("| %s | %s | %.2f | %.2f | %.0f | %d | %d | %d |\n", w,
                    d.process(), d.cores(), d.jitCores(), d.heapUsedEnd() / 1e6, d.gcCount(), d.gcPauseMillis(), d.maxPauseMillis()))));
        }
        if (!r.transactions.isEmpty()) {
            sb.append("\nTransactions committed in each window (from the broker's log: partitions touched = commit markers written):\n\n"
                    + "| window | transactions | per s | partitions per transaction (mean / p50 / max) | records per transaction "
                    + "| markers/s | markers per send or record |\n|---|---|---|---|---|---|---|\n");
            for (TxnCensus.Summary t : r.transactions) {
                double seconds = Math.max(1, t.span().toMillis() - t.span().fromMillis()) / 1000.0;
                sb.append(Targets.f("| %s | %d | %.1f | %.1f / %d / %d | %.1f | %.0f | %.3f |\n", t.span().name(), t.transactions(),
                        t.transactions() / seconds, t.partitionsMean(), t.partitionsP50(), t.partitionsMax(), t.recordsMean(),
                        t.markersPerSecond(), t.markersPerSecond() / operationsPerSecond(r, t.span().name())));
            }
        }
        if (!r.profiles.isEmpty()) {
            sb.append("\nJFR (whole run, per process):\n\n");
            r.profiles.forEach((p, lines) -> {
                sb.append("- ").append(p).append(":\n");
                lines.forEach(l -> sb.append("  - ").append(l).append('\n'));
            });
        }
        if (!r.notes.isEmpty()) {
            sb.append("\nNotes:\n\n");
            r.notes.forEach(n -> sb.append("- ").append(n.replace('\n', ' ')).append('\n'));
        }
        if (plotRelative != null) {
            sb.append("\n![latency by percentile, ").append(run.id()).append("](").append(plotRelative).append(")\n");
        }
        return sb.toString().replace("NaN", "-");
    }
}
