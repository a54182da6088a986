package dev.parley.ops.chaos.check;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each sender's sends to a channel are logged in the order it offered them (the load offers the next one to a
 * channel only after the previous one was answered, so any other order is the system's doing).
 */
public final class SenderOrderCheck implements Check {

    @Override
    public void run(Histories h, LogIndex log, Findings f) {
        Map<String, List<SentMessage>> streams = new LinkedHashMap<>();
        for (SentMessage s : h.sends()) {
            streams.computeIfAbsent(s.sender() + "\u0000" + s.channel(), k -> new ArrayList<>()).add(s);
        }
        for (List<SentMessage> stream : streams.values()) {
            stream.sort(Comparator.comparingLong(SentMessage::order));
            SentMessage previous = null;
            long previousSeq = 0;
            for (SentMessage s : stream) {
                List<Long> seqs = log.seqsOf(LogIndex.Key.of(s));
                if (seqs.isEmpty()) {
                    continue; // never landed (unsettled or refused): nothing to order
                }
                long seq = seqs.get(0);
                if (previous != null && seq <= previousSeq) {
                    f.add(LossClass.SENDER_ORDER, s.sender() + " in " + s.channel() + ": " + s.clientMsgId() + " (sent #" + s.order()
                            + ") at seq " + seq + ", before " + previous.clientMsgId() + " (sent #" + previous.order() + ") at seq " + previousSeq);
                } else {
                    previous = s;
                    previousSeq = seq;
                }
            }
        }
    }
}
