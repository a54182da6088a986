package dev.parley.notifier.streams;

import dev.parley.avro.user.ReadCursorSet;
import dev.parley.avro.user.UserEvent;
import java.util.List;

/** What the user side takes from a user's own events ({@code parley.user-events}): read cursors (and preferences). */
final class UserEvents {

    private UserEvents() {
    }

    /** The inputs of one user event: none for a kind the notifier does not use (or a newer one it cannot read). */
    static List<UserInput> toInputs(UserEvent e) {
        if (e == null) {
            return List.of();
        }
        if (e.getPayload() instanceof ReadCursorSet read) {
            return List.of(new UserInput.CursorMoved(e.getUser(), e.getChannel(), read.getUpTo()));
        }
        return List.of();
    }
}
