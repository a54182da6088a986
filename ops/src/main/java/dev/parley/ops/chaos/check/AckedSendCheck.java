package dev.parley.ops.chaos.check;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every acknowledged send is in the log exactly once, at the seq its ack carried; a send refused for good is not
 * in the log; no key (retried or not) has more than one event; and every message in the log was sent by a client.
 */
public final class AckedSendCheck implements Check {

    @Override
    public void run(Histories h, LogIndex log, Findings f) {
        Set<LogIndex.Key> offered = new HashSet<>();
        for (SentMessage s : h.sends()) {
            LogIndex.Key key = LogIndex.Key.of(s);
            offered.add(key);
            List<Long> seqs = log.seqsOf(key);
            String who = s.sender() + " " + s.channel() + "/" + s.clientMsgId() + (s.retried() ? " (retried)" : "");
            switch (s.outcome()) {
                case ACKED -> {
                    if (seqs.isEmpty()) {
                        f.add(LossClass.ACKED_SEND_LOST, who + ": acked at seq " + s.ackedSeq() + ", not in the log");
                    } else if (!seqs.contains(s.ackedSeq())) {
                        f.add(LossClass.ACKED_AT_OTHER_SEQ, who + ": acked at seq " + s.ackedSeq() + ", logged at " + seqs);
                    }
                }
                case REFUSED -> {
                    if (!seqs.isEmpty()) {
                        f.add(LossClass.REFUSED_SEND_LOGGED, who + ": refused, yet logged at " + seqs);
                    }
                }
                case UNSETTLED -> {
                    // may or may not have landed; at most once is checked below with every key
                }
            }
        }
        for (Map.Entry<LogIndex.Key, List<Long>> e : log.keys().entrySet()) {
            LogIndex.Key k = e.getKey();
            if (e.getValue().size() > 1) {
                f.add(LossClass.DUPLICATE_KEY, e.getValue().size() - 1,
                        k.user() + " " + k.channel() + "/" + k.clientMsgId() + ": " + e.getValue().size() + " events, seqs " + e.getValue());
            }
            if (!offered.contains(k)) {
                f.add(LossClass.UNOFFERED_MESSAGE, k.user() + " " + k.channel() + "/" + k.clientMsgId() + " at seqs " + e.getValue());
            }
        }
    }
}
