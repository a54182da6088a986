package dev.parley.api.events;

import dev.parley.avro.Role;
import dev.parley.avro.event.ChannelCreated;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.event.MemberJoined;
import dev.parley.avro.event.MemberLeft;
import java.util.ArrayList;
import java.util.List;

/**
 * Who becomes, or stops being, a member of a channel with an event, and with which role. The one place this
 * rule lives: the topology's channel state and user state, and the gateway's routing, all follow it.
 *
 * <p>A channel's creator is its owner and first member; in a direct channel nobody owns the others'
 * messages, so every member (the creator and the members named at creation) is a plain member. A joined or
 * added user has the role the event says. A member who leaves is no longer one.
 */
public final class Memberships {

    /** One user's membership change: {@code role} when they joined, null when they left. */
    public record Change(String user, Role role) {

        public boolean joined() {
            return role != null;
        }
    }

    private Memberships() {
    }

    public static List<Change> of(ChannelEvent e) {
        Object p = e.getPayload();
        if (p instanceof ChannelCreated created) {
            List<Change> out = new ArrayList<>(1 + created.getMembers().size());
            out.add(new Change(e.getActor().getUser(), created.getDirect() ? Role.MEMBER : Role.OWNER));
            for (String m : created.getMembers()) {
                out.add(new Change(m, Role.MEMBER));
            }
            return out;
        }
        if (p instanceof MemberJoined joined) {
            return List.of(new Change(joined.getUser(), joined.getRole()));
        }
        if (p instanceof MemberLeft left) {
            return List.of(new Change(left.getUser(), null));
        }
        return List.of();
    }
}
