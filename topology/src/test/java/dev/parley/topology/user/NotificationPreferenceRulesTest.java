package dev.parley.topology.user;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.avro.ChannelNotificationLevel;
import dev.parley.avro.NotificationLevel;
import dev.parley.avro.NotificationPreferences;
import dev.parley.avro.command.SetNotificationPreferences;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NotificationPreferenceRulesTest {

    @Test
    void aLevelKeepsTheOverridesAndAnOverrideKeepsTheLevel() {
        NotificationPreferences all = NotificationPreferenceRules.apply(null, new SetNotificationPreferences(NotificationLevel.ALL, null, null));
        assertThat(all).isEqualTo(new NotificationPreferences(NotificationLevel.ALL, Map.of()));
        NotificationPreferences muted = NotificationPreferenceRules.apply(all,
                new SetNotificationPreferences(null, "general", ChannelNotificationLevel.MUTE));
        assertThat(muted).isEqualTo(new NotificationPreferences(NotificationLevel.ALL, Map.of("general", ChannelNotificationLevel.MUTE)));
        NotificationPreferences nothing = NotificationPreferenceRules.apply(muted,
                new SetNotificationPreferences(NotificationLevel.NOTHING, "random", ChannelNotificationLevel.ALL));
        assertThat(nothing).isEqualTo(new NotificationPreferences(NotificationLevel.NOTHING,
                Map.of("general", ChannelNotificationLevel.MUTE, "random", ChannelNotificationLevel.ALL)));
        assertThat(NotificationPreferenceRules.apply(nothing, new SetNotificationPreferences(null, "general", ChannelNotificationLevel.DEFAULT)))
                .as("default removes the override")
                .isEqualTo(new NotificationPreferences(NotificationLevel.NOTHING, Map.of("random", ChannelNotificationLevel.ALL)));
        assertThat(NotificationPreferenceRules.apply(all, new SetNotificationPreferences(NotificationLevel.ALL, null, null)))
                .as("setting what is set changes nothing").isEqualTo(all);
    }

    @Test
    void aCommandThatSaysNothingOrHalfOfSomethingIsRefused() {
        assertThat(NotificationPreferenceRules.problem(new SetNotificationPreferences(null, null, null))).contains("needs a level");
        assertThat(NotificationPreferenceRules.problem(new SetNotificationPreferences(NotificationLevel.UNKNOWN, null, null))).isNotNull();
        assertThat(NotificationPreferenceRules.problem(new SetNotificationPreferences(null, "general", null))).contains("channelLevel");
        assertThat(NotificationPreferenceRules.problem(new SetNotificationPreferences(null, null, ChannelNotificationLevel.MUTE)))
                .contains("needs the channel");
        assertThat(NotificationPreferenceRules.problem(new SetNotificationPreferences(null, "no spaces", ChannelNotificationLevel.MUTE)))
                .contains("not valid");
        assertThat(NotificationPreferenceRules.problem(new SetNotificationPreferences(NotificationLevel.MENTIONS, "general",
                ChannelNotificationLevel.ALL))).isNull();
    }
}
