package dev.parley.notifier.decide;

/** Applies a user's preferences to a candidate: the user side's half of the decision. */
public final class PreferencePolicy {

    private PreferencePolicy() {
    }

    /** Whether {@code candidate} is to be notified under {@code preferences}. */
    public static boolean admits(Preferences preferences, Candidate candidate) {
        return preferences.effective(candidate.message().channel()).admits(candidate.reason());
    }
}
