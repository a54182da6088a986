package dev.parley.notifier.digest;

import dev.parley.notifier.decide.Reason;

/**
 * One message in a pending digest.
 *
 * @param channel    channel id
 * @param seq        the message's seq in the channel
 * @param eventId    the log event's id
 * @param messageId  the message's id
 * @param sender     who posted it
 * @param timestamp  when it was committed (epoch millis)
 * @param reason     why the user is notified
 * @param threadRoot the thread's root seq for a reply, else null
 * @param text       a preview of the text (possibly cut, possibly empty)
 */
public record DigestItem(String channel, long seq, String eventId, String messageId, String sender, long timestamp,
                         Reason reason, Long threadRoot, String text) {

    boolean sameMessage(DigestItem other) {
        return channel.equals(other.channel) && seq == other.seq;
    }
}
