package dev.parley.gateway.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.avro.ChannelNotificationLevel;
import dev.parley.avro.NotificationLevel;
import dev.parley.avro.NotificationPreferences;
import dev.parley.avro.command.SetNotificationPreferences;
import dev.parley.gateway.hub.Frames;
import java.util.Locale;
import java.util.Map;

/**
 * Notification preferences on the wire: the {@code set_notifications} frame (also what the REST calls build) as a
 * user command, and the preferences as JSON ({@code {"level": "mentions", "channels": [{"channel": "general", "level": "mute"}]}},
 * overrides in channel order).
 */
public final class NotificationSettings {

    private NotificationSettings() {
    }

    /** {@code set_notifications {requestId, level?, channel?, channelLevel?}}: a user command (no channel of its own). */
    static ClientRequest command(Fields r) throws Invalid {
        NotificationLevel level = null;
        if (r.has("level")) {
            level = switch (String.valueOf(r.peek("level"))) {
                case "all" -> NotificationLevel.ALL;
                case "mentions" -> NotificationLevel.MENTIONS;
                case "nothing" -> NotificationLevel.NOTHING;
                default -> throw r.invalid("\"level\" must be all, mentions or nothing");
            };
        }
        String channel = null;
        ChannelNotificationLevel channelLevel = null;
        if (r.has("channel")) {
            channel = r.channel();
            channelLevel = switch (String.valueOf(r.peek("channelLevel"))) {
                case "all" -> ChannelNotificationLevel.ALL;
                case "mute" -> ChannelNotificationLevel.MUTE;
                case "default" -> ChannelNotificationLevel.DEFAULT;
                default -> throw r.invalid("\"channelLevel\" must be all, mute or default (with \"channel\")");
            };
        } else if (r.has("channelLevel")) {
            throw r.invalid("\"channelLevel\" needs the \"channel\" it applies to");
        }
        if (level == null && channel == null) {
            throw r.invalid("set_notifications needs a \"level\", or a \"channel\" and its \"channelLevel\"");
        }
        return new ClientRequest.Command("set_notifications", "requestId", r.id(), "",
                new SetNotificationPreferences(level, channel, channelLevel));
    }

    /** The preferences as the ok frame and the REST answer carry them. */
    public static ObjectNode json(NotificationPreferences p) {
        ObjectNode n = Frames.JSON.createObjectNode();
        n.put("level", p.getLevel().name().toLowerCase(Locale.ROOT));
        ArrayNode channels = n.putArray("channels");
        for (Map.Entry<String, ChannelNotificationLevel> e : new java.util.TreeMap<>(p.getChannels()).entrySet()) {
            channels.addObject().put("channel", e.getKey()).put("level", e.getValue().name().toLowerCase(Locale.ROOT));
        }
        return n;
    }
}
