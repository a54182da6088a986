package dev.parley.notifier.streams;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.parley.notifier.decide.Candidate;
import dev.parley.notifier.decide.Preferences;

/**
 * What reaches the user side (records keyed by user): from the channel side (candidates, membership changes) and
 * from the user's own events on {@code parley.user-events} (read cursors, preferences).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = UserInput.Notify.class, name = "candidate"),
        @JsonSubTypes.Type(value = UserInput.Membership.class, name = "membership"),
        @JsonSubTypes.Type(value = UserInput.CursorMoved.class, name = "cursor"),
        @JsonSubTypes.Type(value = UserInput.PreferencesSet.class, name = "preferences")})
public sealed interface UserInput {

    String user();

    /** A message the user may be notified of. */
    record Notify(Candidate candidate) implements UserInput {
        @Override
        public String user() {
            return candidate.user();
        }
    }

    /** The user joined ({@code joined}) or left a channel. */
    record Membership(String user, String channel, boolean joined) implements UserInput {
    }

    /** The user's read cursor of {@code channel} moved to {@code upTo}. */
    record CursorMoved(String user, String channel, long upTo) implements UserInput {
    }

    /** The user's notification preferences are now {@code preferences}. */
    record PreferencesSet(String user, Preferences preferences) implements UserInput {
    }
}
