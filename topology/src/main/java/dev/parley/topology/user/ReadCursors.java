package dev.parley.topology.user;

import dev.parley.topology.state.UserChannelState;

/**
 * The rules of a user's state in a channel, on their own: a cursor only moves forward, and only for a member
 * (the channel processor checked the seq against the head); moving it to where it is, or back, changes nothing,
 * so a retried {@code mark_read} is harmless without an idempotency entry. Memberships follow the membership
 * events; a member who leaves keeps the cursor (without a role), so replaying the log over existing state (a
 * rebuild) never moves a cursor back.
 */
public final class ReadCursors {

    /** What a cursor move does to a user's state in a channel. */
    public sealed interface Move {
        /** The cursor moved; store {@code state}. */
        record Moved(UserChannelState state) implements Move {
        }

        /** Already at or past it. */
        record NotAdvanced(long current) implements Move {
        }

        /** Not a member (any more: a leave was applied first). */
        record NotAMember() implements Move {
        }
    }

    private ReadCursors() {
    }

    /** The user joined at {@code seq} with {@code role}: a cursor from an earlier membership is kept. */
    public static UserChannelState joined(UserChannelState current, String role, long seq, long at) {
        return new UserChannelState(role, seq, at, current == null ? 0L : current.getLastRead());
    }

    /** The user left: no role any more, the cursor stays; null if there was nothing. */
    public static UserChannelState left(UserChannelState current) {
        return current == null ? null : new UserChannelState(null, current.getJoinedSeq(), current.getJoinedAt(), current.getLastRead());
    }

    public static Move move(UserChannelState current, long upTo) {
        if (current == null || current.getRole() == null) {
            return new Move.NotAMember();
        }
        if (upTo <= current.getLastRead()) {
            return new Move.NotAdvanced(current.getLastRead());
        }
        return new Move.Moved(new UserChannelState(current.getRole(), current.getJoinedSeq(), current.getJoinedAt(), upTo));
    }
}
