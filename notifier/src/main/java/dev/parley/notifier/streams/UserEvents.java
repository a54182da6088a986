package dev.parley.notifier.streams;

import dev.parley.avro.NotificationPreferences;
import dev.parley.avro.user.ReadCursorSet;
import dev.parley.avro.user.UserEvent;
import dev.parley.notifier.decide.Level;
import dev.parley.notifier.decide.Preferences;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the user side takes from a user's own events ({@code parley.user-events}): read cursors and notification preferences. */
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
        if (e.getPayload() instanceof NotificationPreferences p) {
            return List.of(new UserInput.PreferencesSet(e.getUser(), preferences(p)));
        }
        return List.of();
    }

    /** The whole preferences of the event, in the notifier's terms (a symbol it does not know is the default). */
    static Preferences preferences(NotificationPreferences p) {
        Level level = switch (p.getLevel()) {
            case ALL -> Level.ALL;
            case NOTHING -> Level.NOTHING;
            case MENTIONS, UNKNOWN -> Level.MENTIONS_AND_DIRECT;
        };
        Map<String, Level> channels = new TreeMap<>();
        p.getChannels().forEach((channel, l) -> {
            switch (l) {
                case ALL -> channels.put(channel, Level.ALL);
                case MUTE -> channels.put(channel, Level.NOTHING);
                case DEFAULT, UNKNOWN -> { }
            }
        });
        return new Preferences(level, channels);
    }
}
