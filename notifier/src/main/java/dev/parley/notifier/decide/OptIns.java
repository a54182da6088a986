package dev.parley.notifier.decide;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps channels' opt-in indexes in step with users' preferences. The cost of "all" is paid when a
 * preference or a membership changes (one record per channel of the user), never per message: a message in
 * a 10,000-member channel reads only that channel's opt-ins, not 10,000 preferences.
 */
public final class OptIns {

    private OptIns() {
    }

    /** What to change in the indexes of {@code channels} (the user's channels) when preferences change. */
    public static List<OptInChange> onPreferencesChanged(String user, Preferences before, Preferences after,
                                                         Iterable<String> channels) {
        List<OptInChange> out = new ArrayList<>();
        for (String channel : channels) {
            boolean was = before.wantsAll(channel);
            boolean is = after.wantsAll(channel);
            if (was != is) {
                out.add(new OptInChange(channel, user, is));
            }
        }
        return out;
    }

    /** What to add to the index of a channel the user just joined (nothing unless they want all of it). */
    public static List<OptInChange> onJoined(String user, String channel, Preferences preferences) {
        return preferences.wantsAll(channel) ? List.of(new OptInChange(channel, user, true)) : List.of();
    }
}
