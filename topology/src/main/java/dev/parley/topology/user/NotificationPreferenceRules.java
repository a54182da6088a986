package dev.parley.topology.user;

import dev.parley.api.Limits;
import dev.parley.avro.ChannelNotificationLevel;
import dev.parley.avro.NotificationLevel;
import dev.parley.avro.NotificationPreferences;
import dev.parley.avro.command.SetNotificationPreferences;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rules of a user's notification preferences, on their own: what a {@link SetNotificationPreferences} may ask,
 * and what it makes of the current preferences. Setting what is already set changes nothing, so a retried command is
 * harmless without an idempotency entry.
 */
public final class NotificationPreferenceRules {

    /** A user's preferences before they set any: mentions, direct messages and thread replies; no override. */
    public static final NotificationPreferences DEFAULT = new NotificationPreferences(NotificationLevel.MENTIONS, Map.of());

    private NotificationPreferenceRules() {
    }

    /** Why the command cannot be applied, or null when it can. */
    public static String problem(SetNotificationPreferences set) {
        if (set.getChannel() == null && set.getChannelLevel() != null) {
            return "channelLevel needs the channel it applies to";
        }
        if (set.getLevel() == null && set.getChannel() == null) {
            return "set_notifications needs a level, or a channel and its channelLevel";
        }
        if (set.getLevel() == NotificationLevel.UNKNOWN) {
            return "level must be all, mentions or nothing";
        }
        if (set.getChannel() != null) {
            if (!Limits.isValidChannelId(set.getChannel())) {
                return "channel id '" + set.getChannel() + "' is not valid: use 1-80 letters, digits, '.', '_' or '-'";
            }
            if (set.getChannelLevel() == null || set.getChannelLevel() == ChannelNotificationLevel.UNKNOWN) {
                return "a channel's channelLevel must be all, mute or default";
            }
        }
        return null;
    }

    /** The preferences after {@code set} (valid by {@link #problem}); {@code current} null means the defaults. */
    public static NotificationPreferences apply(NotificationPreferences current, SetNotificationPreferences set) {
        NotificationPreferences base = current == null ? DEFAULT : current;
        NotificationLevel level = set.getLevel() == null ? base.getLevel() : set.getLevel();
        Map<String, ChannelNotificationLevel> channels = new TreeMap<>(base.getChannels());
        if (set.getChannel() != null) {
            if (set.getChannelLevel() == ChannelNotificationLevel.DEFAULT) {
                channels.remove(set.getChannel());
            } else {
                channels.put(set.getChannel(), set.getChannelLevel());
            }
        }
        return new NotificationPreferences(level, channels);
    }
}
