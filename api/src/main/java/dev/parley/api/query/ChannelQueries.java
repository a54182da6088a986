package dev.parley.api.query;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * The read API of the topology's stores. Implemented in-process with routing to the owning instance
 * ({@link QueryService}) and over HTTP ({@link QueryClient}), so gateways and tools use either alike.
 * Any implementation may throw {@link QueryUnavailableException} when no replica can answer in time.
 */
public interface ChannelQueries {

    int MAX_PAGE = 1000;

    /** Events with seq > {@code after}, ascending, at most {@code limit}. */
    EventPage eventsAfter(String channel, long after, int limit);

    /** Events with seq < {@code before}, ascending, the {@code limit} closest to {@code before}. */
    EventPage eventsBefore(String channel, long before, int limit);

    Optional<ChannelSummary> channel(String channel);

    /**
     * Summaries of several channels at once (absent ones are left out); with {@code forUser}, each also carries
     * that user's read cursor and unread counts.
     */
    Map<String, ChannelSummary> channels(Collection<String> channels, String forUser);

    /** Messages with seq < {@code before}, in their current state, ascending: the {@code limit} closest to it. */
    MessagePage messagesBefore(String channel, long before, int limit);

    /** A thread's root and its replies with seq > {@code afterReply}; empty if {@code root} is not a message. */
    Optional<ThreadPage> thread(String channel, long root, long afterReply, int limit);

    Optional<MemberEntry> member(String channel, String user);

    /** Members with user id > {@code afterUser} (null for the first page), ordered by user id. */
    MemberPage members(String channel, String afterUser, int limit);

    UserChannels channelsOf(String user);
}
