package dev.parley.topology.user;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.topology.state.UserChannelState;
import org.junit.jupiter.api.Test;

/** The user-state rules alone: cursors only move forward, memberships come and go, cursors stay. */
class ReadCursorsTest {

    @Test
    void aCursorMovesOnlyForwardAndOnlyForAMember() {
        UserChannelState member = new UserChannelState("MEMBER", 3L, 30L, 10L);
        assertThat(ReadCursors.move(member, 11)).isEqualTo(new ReadCursors.Move.Moved(new UserChannelState("MEMBER", 3L, 30L, 11L)));
        assertThat(ReadCursors.move(member, 10)).isEqualTo(new ReadCursors.Move.NotAdvanced(10));
        assertThat(ReadCursors.move(member, 4)).isEqualTo(new ReadCursors.Move.NotAdvanced(10));
        assertThat(ReadCursors.move(null, 4)).isInstanceOf(ReadCursors.Move.NotAMember.class);
        assertThat(ReadCursors.move(ReadCursors.left(member), 40)).isInstanceOf(ReadCursors.Move.NotAMember.class);
    }

    @Test
    void leavingKeepsTheCursorAndReplayingMembershipsNeverMovesItBack() {
        UserChannelState joined = ReadCursors.joined(null, "MEMBER", 2, 20);
        assertThat(joined.getLastRead()).isZero();
        UserChannelState read = ((ReadCursors.Move.Moved) ReadCursors.move(joined, 9)).state();
        UserChannelState left = ReadCursors.left(read);
        assertThat(left.getRole()).isNull();
        assertThat(left.getLastRead()).isEqualTo(9);
        UserChannelState back = ReadCursors.joined(left, "OWNER", 12, 120);
        assertThat(back).isEqualTo(new UserChannelState("OWNER", 12L, 120L, 9L));
        // A rebuild replays the memberships of the log over the state it finds: the cursor survives it.
        assertThat(ReadCursors.joined(ReadCursors.left(ReadCursors.joined(back, "MEMBER", 2, 20)), "OWNER", 12, 120)).isEqualTo(back);
        assertThat(ReadCursors.left(null)).isNull();
    }
}
