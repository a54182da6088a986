package dev.parley.notifier.decide;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A user's notification preferences: a global level and per-channel overrides ({@link Level#ALL} for "all
 * of this channel", {@link Level#NOTHING} for mute). An override wins over the global level, both ways:
 * a muted channel notifies nothing, not even mentions; "all" on one channel works under a global "nothing".
 *
 * @param level    the global level
 * @param channels overrides by channel id (absent = the global level)
 */
public record Preferences(Level level, Map<String, Level> channels) {

    public static final Preferences DEFAULT = new Preferences(Level.MENTIONS_AND_DIRECT, Map.of());

    public Preferences {
        Objects.requireNonNull(level, "level");
        channels = channels == null ? Map.of() : Map.copyOf(channels);
    }

    /** The level that applies to {@code channel}. */
    public Level effective(String channel) {
        return channels.getOrDefault(channel, level);
    }

    /** Whether the channel's opt-in index should list this user (every message of it is wanted). */
    public boolean wantsAll(String channel) {
        return effective(channel) == Level.ALL;
    }

    public Preferences withLevel(Level newLevel) {
        return new Preferences(newLevel, channels);
    }

    /** With an override for {@code channel}, or without one when {@code channelLevel} is null. */
    public Preferences withChannel(String channel, Level channelLevel) {
        Map<String, Level> next = new TreeMap<>(channels);
        if (channelLevel == null) {
            next.remove(channel);
        } else {
            next.put(channel, channelLevel);
        }
        return new Preferences(level, next);
    }
}
