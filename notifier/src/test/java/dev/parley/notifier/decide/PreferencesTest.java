package dev.parley.notifier.decide;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PreferencesTest {

    static Candidate candidate(String channel, Reason reason) {
        return new Candidate("bob", reason, new PostedMessage(channel, 1, "e", "m", "alice", 0, null, List.of(), ""));
    }

    @Test
    void theDefaultIsMentionsDirectMessagesAndThreads() {
        Preferences p = Preferences.DEFAULT;

        assertThat(PreferencePolicy.admits(p, candidate("c", Reason.MENTION))).isTrue();
        assertThat(PreferencePolicy.admits(p, candidate("c", Reason.DIRECT))).isTrue();
        assertThat(PreferencePolicy.admits(p, candidate("c", Reason.THREAD_REPLY))).isTrue();
        assertThat(PreferencePolicy.admits(p, candidate("c", Reason.CHANNEL_ALL))).isFalse();
    }

    @Test
    void nothingMeansNothingAndMuteSilencesEvenMentions() {
        Preferences nothing = Preferences.DEFAULT.withLevel(Level.NOTHING);
        Preferences muted = Preferences.DEFAULT.withChannel("noisy", Level.NOTHING);

        assertThat(PreferencePolicy.admits(nothing, candidate("c", Reason.DIRECT))).isFalse();
        assertThat(PreferencePolicy.admits(muted, candidate("noisy", Reason.MENTION))).isFalse();
        assertThat(PreferencePolicy.admits(muted, candidate("quiet", Reason.MENTION))).isTrue();
    }

    @Test
    void aChannelOverrideWinsOverTheGlobalLevel() {
        Preferences p = Preferences.DEFAULT.withLevel(Level.NOTHING).withChannel("ops", Level.ALL);

        assertThat(PreferencePolicy.admits(p, candidate("ops", Reason.CHANNEL_ALL))).isTrue();
        assertThat(p.wantsAll("ops")).isTrue();
        assertThat(p.wantsAll("general")).isFalse();
        assertThat(p.withChannel("ops", null).wantsAll("ops")).isFalse();
    }

    @Test
    void optInChangesFollowTheEffectiveLevelOfEachOfTheUsersChannels() {
        Preferences before = Preferences.DEFAULT.withChannel("ops", Level.ALL).withChannel("noisy", Level.NOTHING);
        Preferences after = before.withLevel(Level.ALL);

        List<OptInChange> changes = OptIns.onPreferencesChanged("bob", before, after, List.of("general", "ops", "noisy", "random"));

        // ops already wanted all; noisy stays muted; general and random now want all
        assertThat(changes).containsExactly(new OptInChange("general", "bob", true), new OptInChange("random", "bob", true));
        assertThat(OptIns.onPreferencesChanged("bob", after, before, List.of("general", "ops")))
                .containsExactly(new OptInChange("general", "bob", false));
        assertThat(OptIns.onJoined("bob", "new", after)).containsExactly(new OptInChange("new", "bob", true));
        assertThat(OptIns.onJoined("bob", "new", before)).isEmpty();
    }
}
