package dev.parley.topology.user;

import dev.parley.topology.state.UserChannelState;

/**
 * The read cursor rule, on its own: a cursor only moves forward, and only for a member (the channel
 * processor checked the seq against the head). Moving to where it already is, or back, changes nothing, so
 * a retried {@code mark_read} is harmless without an idempotency entry.
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

    public static Move move(UserChannelState current, long upTo) {
        if (current == null) {
            return new Move.NotAMember();
        }
        if (upTo <= current.getLastRead()) {
            return new Move.NotAdvanced(current.getLastRead());
        }
        return new Move.Moved(new UserChannelState(current.getRole(), current.getJoinedSeq(), current.getJoinedAt(), upTo));
    }
}
