package dev.parley.notifier.decide;

import java.util.List;
import java.util.Objects;

/**
 * A message as it was committed to the log: what the triggers look at.
 *
 * @param channel    channel id
 * @param seq        its seq in the channel
 * @param eventId    the log event's id
 * @param messageId  the message's id
 * @param sender     who posted it (never notified of it)
 * @param timestamp  when its command was accepted (epoch millis; the log record's timestamp)
 * @param threadRoot the seq of its thread's root, or null for a top-level message
 * @param mentions   users mentioned in the text, as the sequencer parsed them
 * @param text       the text
 */
public record PostedMessage(String channel, long seq, String eventId, String messageId, String sender, long timestamp,
                            Long threadRoot, List<String> mentions, String text) {

    public PostedMessage {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(sender, "sender");
        mentions = mentions == null ? List.of() : List.copyOf(mentions);
        text = text == null ? "" : text;
    }

    public boolean isReply() {
        return threadRoot != null;
    }
}
