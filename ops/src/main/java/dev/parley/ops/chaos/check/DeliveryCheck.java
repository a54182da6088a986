package dev.parley.ops.chaos.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What each client's application got: per channel in increasing seq, each event once and equal to the log's; and a
 * client online at the end holds every event of each of its channels from where it started following the channel
 * up to the log's head (after a {@code resync} or {@code behind} it must have fetched what it missed). Seqs the log
 * itself lacks are {@link LogSequenceCheck}'s finding, not counted here.
 */
public final class DeliveryCheck implements Check {

    private static final int LISTED = 5;

    @Override
    public void run(Histories h, LogIndex log, Findings f) {
        Membership m = log.membership();
        for (ClientHistory c : h.clients()) {
            Map<String, TreeSet<Long>> got = new HashMap<>();
            Map<String, Long> last = new HashMap<>();
            for (Received r : c.received()) {
                Long before = last.get(r.channel());
                if (before != null && r.seq() <= before) {
                    f.add(LossClass.DELIVERY_ORDER, c.client() + " " + r.channel() + ": seq " + r.seq() + " after " + before);
                } else {
                    last.put(r.channel(), r.seq());
                }
                got.computeIfAbsent(r.channel(), k -> new TreeSet<>()).add(r.seq());
                LoggedEvent logged = log.at(r.channel(), r.seq());
                if (logged == null) {
                    f.add(LossClass.WRONG_EVENT, c.client() + " " + r.channel() + ": got seq " + r.seq() + ", which is not in the log");
                } else if (!logged.eventId().equals(r.eventId())) {
                    f.add(LossClass.WRONG_EVENT, c.client() + " " + r.channel() + ": seq " + r.seq() + " is " + r.eventId()
                            + ", the log has " + logged.eventId());
                }
            }
            if (!c.onlineAtEnd()) {
                continue;
            }
            for (String channel : m.channelsOf(c.user())) {
                long head = m.head(channel);
                Long from = c.knownFrom().get(channel);
                if (from == null) {
                    long joined = m.joinedAt(channel, c.user());
                    f.add(LossClass.MISSED_DELIVERY, head - joined + 1, c.client() + " " + channel
                            + ": a member since seq " + joined + " never got the channel (head " + head + ")");
                    continue;
                }
                TreeSet<Long> have = got.getOrDefault(channel, new TreeSet<>());
                List<Long> missing = new ArrayList<>();
                long count = 0;
                for (long s = from + 1; s <= head; s++) {
                    if (!have.contains(s) && log.at(channel, s) != null) { // a seq missing from the log is the log's finding
                        count++;
                        if (missing.size() < LISTED) {
                            missing.add(s);
                        }
                    }
                }
                if (count > 0) {
                    f.add(LossClass.MISSED_DELIVERY, count, c.client() + " " + channel + ": " + count + " of seqs " + (from + 1)
                            + ".." + head + " never arrived, e.g. " + missing);
                }
            }
        }
    }
}
