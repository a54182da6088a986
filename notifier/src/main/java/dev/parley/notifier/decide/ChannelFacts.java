package dev.parley.notifier.decide;

import java.util.Collection;

/**
 * What the notifier knows about one channel when a message arrives, read from the channel side's stores.
 * Every collection is read lazily: a 10,000-member channel is never listed whole.
 */
public interface ChannelFacts {

    /** False for a channel whose creation the notifier never saw (it then notifies nobody). */
    boolean exists();

    /** A direct-message channel (private, fixed members). */
    boolean isDirect();

    /** Whether {@code user} is a member now (after every earlier event of the channel). */
    boolean isMember(String user);

    /** The members of a direct-message channel (at most {@code DirectChannels.MAX_MEMBERS}); empty otherwise. */
    Collection<String> directMembers();

    /** Users who posted the root or a reply of the thread rooted at {@code rootSeq}. */
    Collection<String> threadParticipants(long rootSeq);

    /** Members whose effective preference for this channel is "all" (the channel's opt-in index). */
    Collection<String> allOptIns();
}
