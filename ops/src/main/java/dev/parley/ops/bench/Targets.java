package dev.parley.ops.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The targets of the benchmark issue, judged on one run's results (ratios against that run's baselines). */
final class Targets {

    /**
     * @param pass null when not measured in this run
     */
    record Verdict(String id, String target, String measured, Boolean pass) {
        String result() {
            return pass == null ? "n/a" : pass ? "PASS" : "FAIL";
        }
    }

    static final double W1_MAX_RATIO = 1.5;
    static final double W2_MIN_SENDS = 10_000;
    static final double W2_MIN_RATIO = 0.40;
    static final double W3_MIN_RATIO = 0.80;
    static final double W4_MAX_SECONDS = 1.0;
    static final double W6_MAX_BYTES = 30_000;
    static final double CPU_MAX_RATIO = 3.0;
    static final double W7_MAX_RATIO = 1.2;
    /** Routed fan-out, four gateways serving a quarter of the channels each: about a quarter of the events, and some slack. */
    static final double W8_MAX_SHARE = 0.35;

    private Targets() {
    }

    static List<Verdict> judge(Results r) {
        List<Verdict> out = new ArrayList<>();
        double eosP99 = r.get("eos.p99_ms");
        for (String path : List.of("send->ack", "send->deliver")) {
            LatencyRecorder.Summary s = r.latencies.get("W1 " + path);
            if (s == null || Double.isNaN(eosP99)) {
                out.add(new Verdict("W1 " + path, "p99 <= 1.5x bare EOS p99", "not measured", null));
            } else {
                double ratio = s.p99() / eosP99;
                out.add(new Verdict("W1 " + path, "p99 <= 1.5x bare EOS p99",
                        f("%.1f ms vs %.1f ms = %.2fx", s.p99(), eosP99, ratio), ratio <= W1_MAX_RATIO && clean(r, "W1")));
            }
        }
        double sends = r.get("W2.sends_per_s");
        double eosTput = r.get("eos.records_per_s");
        if (Double.isNaN(sends) || Double.isNaN(eosTput)) {
            out.add(new Verdict("W2", ">= 10,000 sends/s and >= 40% of bare EOS", "not measured", null));
        } else {
            double ratio = sends / eosTput;
            out.add(new Verdict("W2", ">= 10,000 sends/s and >= 40% of bare EOS",
                    f("%.0f/s vs %.0f/s = %.0f%%", sends, eosTput, 100 * ratio),
                    sends >= W2_MIN_SENDS && ratio >= W2_MIN_RATIO && clean(r, "W2")));
        }
        double w3 = r.get("W3.deliveries_per_s");
        double jetty = r.get("jetty.deliveries_per_s");
        if (Double.isNaN(w3) || Double.isNaN(jetty)) {
            out.add(new Verdict("W3", ">= 80% of raw Jetty deliveries/s", "not measured", null));
        } else {
            double ratio = w3 / jetty;
            out.add(new Verdict("W3", ">= 80% of raw Jetty deliveries/s", f("%.0f/s vs %.0f/s = %.0f%%", w3, jetty, 100 * ratio),
                    ratio >= W3_MIN_RATIO && clean(r, "W3")));
        }
        double w4 = r.get("W4.max_s");
        if (Double.isNaN(r.get("W4.problems"))) {
            out.add(new Verdict("W4", "all 10,000 in order in < 1 s after resume", "not measured", null));
        } else {
            out.add(new Verdict("W4", "all 10,000 in order in < 1 s after resume",
                    f("%.0f events; median %.3f s, worst %.3f s of %.0f; %.0f problems", r.get("W4.missed"), r.get("W4.median_s"), w4,
                            r.get("W4.repetitions"), r.get("W4.problems")),
                    r.get("W4.problems") == 0 && w4 < W4_MAX_SECONDS));
        }
        if (Double.isNaN(r.get("W5.clients"))) {
            out.add(new Verdict("W5", "every client synced, 0 errors", "not measured", null));
        } else {
            out.add(new Verdict("W5", "every client synced, 0 errors",
                    f("%.0f/%.0f synced in %.2f s; %.0f errors", r.get("W5.synced"), r.get("W5.clients"), r.get("W5.all_synced_s"),
                            r.get("W5.errors")),
                    r.get("W5.synced") == r.get("W5.clients") && r.get("W5.errors") == 0 && clean(r, "W5")));
        }
        double w6 = r.get("W6.bytes_per_connection");
        if (Double.isNaN(w6)) {
            out.add(new Verdict("W6", "<= 30 KB heap per idle connection", "not measured", null));
        } else {
            out.add(new Verdict("W6", "<= 30 KB heap per idle connection",
                    f("%.1f KB x %.0f connections", w6 / 1000, r.get("W6.connections")),
                    w6 <= W6_MAX_BYTES && r.get("W6.failures") == 0));
        }
        double perSend = r.get("W2.cpu_ms_per_send");
        double perRecord = r.get("eos.cpu_ms_per_record");
        if (Double.isNaN(perSend) || Double.isNaN(perRecord)) {
            out.add(new Verdict("CPU", "CPU per committed send (W2) <= 3x bare EOS CPU per record", "not measured", null));
        } else {
            double ratio = perSend / perRecord;
            out.add(new Verdict("CPU", "CPU per committed send (W2) <= 3x bare EOS CPU per record",
                    f("%.3f ms vs %.3f ms = %.1fx", perSend, perRecord, ratio), ratio <= CPU_MAX_RATIO));
        }
        double calm = r.get("W7.calm_deliver_p99_ms");
        double storm = r.get("W7.storm_deliver_p99_ms");
        if (Double.isNaN(calm) || Double.isNaN(storm)) {
            out.add(new Verdict("W7", "W1 deliver p99 in a presence storm <= 1.2x without", "not measured", null));
        } else {
            LatencyRecorder.Summary p = r.latencies.get("W7 presence change->frame (storm)");
            out.add(new Verdict("W7", "W1 deliver p99 in a presence storm <= 1.2x without",
                    f("%.1f ms vs %.1f ms = %.2fx (storm without presence %.1f ms); presence p50/p99 %.1f/%.1f ms; "
                                    + "%.0f storm reconnects", storm, calm, storm / calm, r.get("W7.reconnect_storm_deliver_p99_ms"),
                            p == null ? Double.NaN : p.p50(), p == null ? Double.NaN : p.p99(), r.get("W7.storm_reconnects")),
                    storm / calm <= W7_MAX_RATIO && clean(r, "W7 calm") && clean(r, "W7 reconnect storm")
                            && clean(r, "W7 presence storm") && clean(r, "W7 calm after")
                            && r.get("W7.storm_connect_failures") == 0));
        }
        double tailDecoded = r.get("W8.tail.decoded_per_gateway_per_s");
        double routedDecoded = r.get("W8.routed.decoded_per_gateway_per_s");
        String w8 = "routed: log events decoded per gateway <= " + W8_MAX_SHARE + "x tail (4 gateways, a quarter each)";
        if (Double.isNaN(tailDecoded) || Double.isNaN(routedDecoded) || tailDecoded <= 0) {
            out.add(new Verdict("W8", w8, "not measured", null));
        } else {
            double share = routedDecoded / tailDecoded;
            out.add(new Verdict("W8", w8,
                    f("%.0f vs %.0f events/s = %.2fx; gateway cores each %.3f vs %.3f; deliver p99 %.1f vs %.1f ms", routedDecoded,
                            tailDecoded, share, r.get("W8.routed.gateway_cores_each"), r.get("W8.tail.gateway_cores_each"),
                            r.get("W8.routed.deliver_p99_ms"), r.get("W8.tail.deliver_p99_ms")),
                    share <= W8_MAX_SHARE && clean(r, "W8 tail") && clean(r, "W8 routed")));
        }
        out.addAll(NotificationWorkload.verdicts(r));
        return out;
    }

    private static boolean clean(Results r, String workload) {
        DeliveryLedger.Totals t = r.ledgers.get(workload);
        return t != null && t.clean();
    }

    static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
