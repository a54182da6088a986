package dev.parley.ops.chaos;

import dev.parley.ops.chaos.check.Findings;
import dev.parley.ops.chaos.fault.FaultKind;
import dev.parley.ops.chaos.fault.FaultRecord;
import dev.parley.ops.chaos.load.ChatLoad;
import dev.parley.ops.chaos.report.LatencySplit;
import dev.parley.ops.chaos.report.Unavailability;
import dev.parley.ops.chaos.report.Window;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The figures of a chaos run, as text: what was offered and acked, the faults by kind and each one's unavailability,
 * send->ack latency during and outside faults, every loss class with its count (0s included), and the verdict.
 *
 * @param header      what ran (settings)
 * @param counts      the load's counts
 * @param faults      every fault as injected
 * @param outage      unavailability over the acks' timeline
 * @param latency     latencies by when sends were due
 * @param findings    the checker's
 * @param problems    what else failed the run (a fault kind never injected, clients offline at the end, ...)
 * @param notes       other facts worth printing (balancer failovers, log size, timings)
 */
public record ChaosReport(List<String> header, ChatLoad.Counts counts, List<FaultRecord> faults, Unavailability outage,
                          LatencySplit latency, Findings findings, List<String> problems, List<String> notes) {

    public boolean passed() {
        return findings.clean() && problems.isEmpty();
    }

    /** Faults injected, per kind (every kind listed, 0s included). */
    public Map<FaultKind, Long> faultsByKind() {
        Map<FaultKind, Long> m = new EnumMap<>(FaultKind.class);
        for (FaultKind k : FaultKind.values()) {
            m.put(k, faults.stream().filter(f -> f.fault().kind() == k && f.ok()).count());
        }
        return m;
    }

    public List<String> lines() {
        List<String> out = new ArrayList<>(header);
        out.add("");
        out.add("faults injected: " + faultsByKind().entrySet().stream().map(e -> e.getKey().label() + " " + e.getValue())
                .collect(Collectors.joining(", ")) + " (" + faults.size() + " in all)");
        out.add(String.format("  %-4s %-46s %-11s %7s %10s %12s", "step", "fault", "node", "down s", "no ack s", "worst wait s"));
        for (FaultRecord f : faults) {
            Window w = new Window(f.injectedNanos(), f.recoveredNanos());
            out.add(String.format(Locale.ROOT, "  %-4d %-46s %-11s %7.1f %10.1f %12.1f%s", f.step(), f.fault(), f.node(), f.downMillis() / 1000.0,
                    outage.longestSilenceNanos(w) / 1e9, outage.worstWaitNanos(w) / 1e9, f.ok() ? "" : "  FAILED: " + f.problem()));
        }
        out.add("  (down: from the fault until the node served again; no ack: the longest time in which no send at all was"
                + " acked, around the fault; worst wait: the longest a send due during the fault waited for its ack)");
        out.add("");
        out.add(String.format(Locale.ROOT, "sends: offered %,d, acked %,d, refused %,d%s, unsettled %,d, retried %,d (acked as duplicates %,d)",
                counts.offered(), counts.acked(), counts.refusedTotal(), counts.refused().isEmpty() ? "" : " " + counts.refused(),
                counts.unsettled(), counts.retried(), counts.duplicates()));
        out.add(String.format(Locale.ROOT, "connections: client drops %,d, probe connections %,d", counts.clientDrops(), counts.probeConnections()));
        out.add("");
        out.add(String.format("  %-24s %8s %8s %8s %8s %8s %8s", "send->ack ms (HdrHistogram)", "count", "p50", "p90", "p99", "p99.9", "max"));
        out.add(LatencySplit.row("during fault steps", latency.during()));
        out.add(LatencySplit.row("between steps (steady)", latency.between()));
        out.add(LatencySplit.row("after the last step", latency.after()));
        out.add("  (a step lasts from its first fault until every node serves, every replica is in sync and, in the FULL"
                + " profile, the load has caught up; latency counts from each send's slot in the open-loop schedule)");
        out.add("");
        out.add("losses (every one must be 0):");
        findings.lines().forEach(l -> out.add("  " + l));
        if (!notes.isEmpty()) {
            out.add("");
            notes.forEach(n -> out.add("note: " + n));
        }
        out.add("");
        problems.forEach(p -> out.add("problem: " + p));
        out.add(passed() ? "RESULT: PASS - 0 losses in every class; every fault kind injected and recovered"
                : "RESULT: FAIL - " + findings.total() + " violations" + (problems.isEmpty() ? "" : ", " + problems.size() + " problems"));
        return out;
    }
}
