package dev.parley.ops.chaos.check;

import java.util.HashSet;
import java.util.Set;

/**
 * No event of a private channel reaches a user who was not a member at that event's seq: neither through a client's
 * application (live, resumed or fetched) nor on any probe connection.
 */
public final class PrivacyCheck implements Check {

    @Override
    public void run(Histories h, LogIndex log, Findings f) {
        Membership m = log.membership();
        Set<String> seen = new HashSet<>();
        for (ClientHistory c : h.clients()) {
            for (Received r : c.received()) {
                check(m, c.client(), c.user(), r.channel(), r.seq(), seen, f);
            }
        }
        for (ConnectionLog conn : h.connections()) {
            for (ConnectionLog.Frame frame : conn.frames()) {
                if (frame instanceof ConnectionLog.Event e) {
                    check(m, conn.client(), conn.user(), e.channel(), e.seq(), seen, f);
                }
            }
        }
    }

    private static void check(Membership m, String client, String user, String channel, long seq, Set<String> seen, Findings f) {
        if (m.isPrivate(channel) && !m.isMemberAt(channel, user, seq) && seen.add(client + "\u0000" + channel + "\u0000" + seq)) {
            f.add(LossClass.PRIVATE_LEAK, client + " (user " + user + ") got " + channel + " seq " + seq + " without being a member");
        }
    }
}
