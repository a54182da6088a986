package dev.parley.ops.chaos.check;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * No event of a private channel reaches a user who is not a member: one who never became a member (per the log),
 * or one it reached before the user was let in (before the command that added the user was first sent). Neither
 * through a client's application (live, resumed or fetched) nor on any probe connection. A member may read the
 * channel's earlier history (docs/protocol.md "Reading"), so an event older than the join is no leak once the user
 * is in. Leaving is not exercised by the load.
 */
public final class PrivacyCheck implements Check {

    @Override
    public void run(Histories h, LogIndex log, Findings f) {
        Membership m = log.membership();
        Map<String, Long> grants = new HashMap<>();
        h.grants().forEach(g -> grants.merge(g.channel() + "\u0000" + g.user(), g.notBeforeNanos(), Math::min));
        Set<String> seen = new HashSet<>();
        for (ClientHistory c : h.clients()) {
            for (Received r : c.received()) {
                check(m, grants, c.client(), c.user(), r.channel(), r.seq(), r.atNanos(), seen, f);
            }
        }
        for (ConnectionLog conn : h.connections()) {
            for (ConnectionLog.Frame frame : conn.frames()) {
                if (frame instanceof ConnectionLog.Event e) {
                    check(m, grants, conn.client(), conn.user(), e.channel(), e.seq(), e.atNanos(), seen, f);
                }
            }
        }
    }

    private static void check(Membership m, Map<String, Long> grants, String client, String user, String channel, long seq,
                              long at, Set<String> seen, Findings f) {
        if (!m.isPrivate(channel)) {
            return;
        }
        Long grantedAt = grants.get(channel + "\u0000" + user);
        String why = !m.wasMember(channel, user) ? "without ever being a member"
                : grantedAt != null && at < grantedAt ? "before being added" : null;
        if (why != null && seen.add(client + "\u0000" + channel + "\u0000" + seq)) {
            f.add(LossClass.PRIVATE_LEAK, client + " (user " + user + ") got " + channel + " seq " + seq + " " + why);
        }
    }
}
