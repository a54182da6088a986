package dev.parley.ops.chaos.check;

import java.util.HashMap;
import java.util.Map;

/** Per channel the log's seqs are 1, 2, ..., N in log order: no gap, no repeat, never backwards. */
public final class LogSequenceCheck implements Check {

    @Override
    public void run(Histories h, LogIndex log, Findings f) {
        Map<String, Long> last = new HashMap<>();
        for (LoggedEvent e : h.log()) {
            long before = last.getOrDefault(e.channel(), 0L);
            if (e.seq() == before + 1) {
                last.put(e.channel(), e.seq());
            } else if (e.seq() > before + 1) {
                f.add(LossClass.SEQ_GAP, e.seq() - before - 1,
                        e.channel() + ": seq " + before + " is followed by " + e.seq());
                last.put(e.channel(), e.seq());
            } else {
                f.add(LossClass.SEQ_DUPLICATE, e.channel() + ": seq " + e.seq() + " after " + before + " (" + e.kind() + ")");
            }
        }
    }
}
