package dev.parley.ops.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a process spent its CPU, from a JFR recording (async-profiler is not available here): the methods
 * most often on top of the sampled stacks, and the Parley methods most often on them at all (inclusive).
 */
final class JfrSummary {

    private JfrSummary() {
    }

    static List<String> summarize(Path jfr, int top) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> parley = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        int samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            if (!frames.isEmpty()) {
                self.merge(name(frames.get(0)), 1, Integer::sum);
            }
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (n.startsWith("dev.parley.") && seen.add(n)) {
                    parley.merge(n, 1, Integer::sum);
                }
            }
            var t = e.getThread("sampledThread");
            threads.merge(t == null ? "?" : t.getJavaName().replaceAll("-\\d+$", "-N"), 1, Integer::sum);
        }
        List<String> out = new ArrayList<>();
        out.add(samples + " execution samples");
        out.add("threads: " + topOf(threads, 6, samples));
        out.add("top frames (self): " + topOf(self, top, samples));
        out.add("Parley methods on the stack (inclusive): " + topOf(parley, top, samples));
        return out;
    }

    private static String topOf(Map<String, Integer> counts, int n, int total) {
        return counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(n)
                .map(e -> String.format("%s %.0f%%", e.getKey(), 100.0 * e.getValue() / Math.max(1, total)))
                .reduce((a, b) -> a + "; " + b).orElse("-");
    }

    private static String name(RecordedFrame f) {
        if (f.getMethod() == null) {
            return "?";
        }
        String type = f.getMethod().getType().getName();
        return type + "." + f.getMethod().getName();
    }
}
