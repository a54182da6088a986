package dev.parley.ops.chaos.check;

import java.util.HashMap;
import java.util.Map;

/**
 * What the gateway delivered on each probe connection, before any client-side repair: per channel the event frames
 * follow on from where the connection started (the resumed seq, else the welcome's head, else the first event of a
 * channel joined meanwhile) with no gap and no repeat, and {@code caught_up} at N comes only once every event up to
 * N was delivered. A {@code behind} suspends the channel until the client's {@code subscribe}.
 */
public final class ConnectionCheck implements Check {

    @Override
    public void run(Histories h, LogIndex log, Findings f) {
        for (ConnectionLog conn : h.connections()) {
            String who = conn.client() + " connection " + conn.number();
            Map<String, Long> next = new HashMap<>();
            for (ConnectionLog.Frame frame : conn.frames()) {
                if (frame instanceof ConnectionLog.Welcome w) {
                    w.heads().forEach((channel, head) -> {
                        Long resumed = conn.resumed().get(channel);
                        next.put(channel, (resumed != null ? resumed : head) + 1);
                    });
                } else if (frame instanceof ConnectionLog.ResumeAhead a) {
                    next.put(a.channel(), a.head() + 1);
                } else if (frame instanceof ConnectionLog.Behind b) {
                    next.remove(b.channel());
                } else if (frame instanceof ConnectionLog.Subscribed s) {
                    next.put(s.channel(), s.after() + 1);
                } else if (frame instanceof ConnectionLog.CaughtUp c) {
                    Long expected = next.get(c.channel());
                    if (expected != null && c.seq() > expected - 1) {
                        f.add(LossClass.FALSE_CAUGHT_UP, who + " " + c.channel() + ": caught_up at " + c.seq()
                                + " with only up to " + (expected - 1) + " delivered");
                    }
                } else if (frame instanceof ConnectionLog.Event e) {
                    event(who, e, next, log, f);
                }
            }
        }
    }

    private static void event(String who, ConnectionLog.Event e, Map<String, Long> next, LogIndex log, Findings f) {
        Long expected = next.get(e.channel());
        if (expected == null || e.seq() == expected) {
            next.put(e.channel(), e.seq() + 1);
        } else if (e.seq() > expected) {
            long skipped = 0; // seqs the log lacks are LogSequenceCheck's finding
            for (long s = expected; s < e.seq(); s++) {
                skipped += log.at(e.channel(), s) != null ? 1 : 0;
            }
            if (skipped > 0) {
                f.add(LossClass.CONNECTION_GAP, skipped, who + " " + e.channel() + ": seq " + e.seq()
                        + " arrived where " + expected + " was due");
            }
            next.put(e.channel(), e.seq() + 1);
        } else {
            f.add(LossClass.CONNECTION_REPEAT, who + " " + e.channel() + ": seq " + e.seq() + " again (" + expected + " was due)");
        }
    }
}
