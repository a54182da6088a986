package dev.parley.notifier.decide;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The triggers of a notification, as plain rules over a committed message and what is known of its channel:
 * <ul>
 *   <li>any message of a direct-message channel, to its other members ({@link Reason#DIRECT});</li>
 *   <li>a mention of a <em>member</em> of the channel ({@link Reason#MENTION}). A mentioned non-member is never
 *       notified: for a private channel that would leak the message to someone who may not read it, and for a
 *       public one the user has not joined the conversation;</li>
 *   <li>a reply, to the members who posted the thread's root or a reply ({@link Reason#THREAD_REPLY});</li>
 *   <li>any message, to the members whose preference for the channel is "all" ({@link Reason#CHANNEL_ALL}).</li>
 * </ul>
 * The sender is never a candidate, and each user is a candidate at most once, with the strongest reason.
 * Preferences ("nothing", mute) are applied on the user's side, where they live ({@link PreferencePolicy}).
 */
public final class NotificationDecider {

    /** The candidates for {@code message}, ordered by user (deterministic output for a deterministic input). */
    public List<Candidate> decide(PostedMessage message, ChannelFacts channel) {
        if (!channel.exists()) {
            return List.of();
        }
        Map<String, Reason> reasons = new TreeMap<>();
        if (channel.isDirect()) {
            for (String member : channel.directMembers()) {
                offer(reasons, channel, message, member, Reason.DIRECT);
            }
        }
        for (String mentioned : message.mentions()) {
            offer(reasons, channel, message, mentioned, Reason.MENTION);
        }
        if (message.isReply()) {
            for (String participant : channel.threadParticipants(message.threadRoot())) {
                offer(reasons, channel, message, participant, Reason.THREAD_REPLY);
            }
        }
        for (String optedIn : channel.allOptIns()) {
            offer(reasons, channel, message, optedIn, Reason.CHANNEL_ALL);
        }
        List<Candidate> out = new ArrayList<>(reasons.size());
        reasons.forEach((user, reason) -> out.add(new Candidate(user, reason, message)));
        return out;
    }

    private static void offer(Map<String, Reason> reasons, ChannelFacts channel, PostedMessage message, String user,
                              Reason reason) {
        if (user == null || user.equals(message.sender()) || !channel.isMember(user)) {
            return;
        }
        reasons.merge(user, reason, Reason::strongest);
    }
}
