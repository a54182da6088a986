package dev.parley.api.query;

import java.util.Map;
import java.util.Optional;

/**
 * The read API of the topology's stores. Implemented in-process with routing to the owning instance
 * ({@code QueryService} in the topology) and over HTTP ({@link QueryClient}), so gateways and tools use either
 * alike. Any implementation may throw {@link QueryUnavailableException} when no replica can answer in time.
 *
 * <p>Reads serve committed state only (the topology's interactive queries read at {@code READ_COMMITTED}).
 * Reads of a channel's events also take {@code upTo}: the highest seq the caller knows to be committed (e.g. a
 * gateway's read_committed tail, or the target of a catch-up). Nothing past it is served and the head reported
 * is at most {@code upTo}, so two readers that agree on {@code upTo} see the same events. {@link #COMMITTED}
 * means no cap beyond the store's own committed state.
 */
public interface ChannelQueries {

    int MAX_PAGE = 1000;

    /** {@code upTo} for "whatever the store has committed". */
    long COMMITTED = Long.MAX_VALUE;

    /** Events with {@code after < seq <= upTo}, ascending, at most {@code limit}. */
    EventPage eventsAfter(String channel, long after, int limit, long upTo);

    /** Events with {@code seq < before} and {@code seq <= upTo}, ascending: the {@code limit} closest to {@code before}. */
    EventPage eventsBefore(String channel, long before, int limit, long upTo);

    /** The channel's summary, its head at most {@code upTo}. */
    Optional<ChannelSummary> channel(String channel, long upTo);

    /**
     * Summaries of several channels at once (absent ones are left out), each with {@code user}'s unread counts
     * after the given read cursor ({@code channel -> lastRead}).
     */
    Map<String, ChannelSummary> channels(String user, Map<String, Long> readCursors);

    /** Messages with {@code seq < before} and {@code seq <= upTo}, in their current state, ascending: the {@code limit} closest to it. */
    MessagePage messagesBefore(String channel, long before, int limit, long upTo);

    /** A thread's root and its replies with {@code afterReply < seq <= upTo}; empty if {@code root} is not a message. */
    Optional<ThreadPage> thread(String channel, long root, long afterReply, int limit, long upTo);

    Optional<MemberEntry> member(String channel, String user);

    /** Members with user id > {@code afterUser} (null for the first page), ordered by user id. */
    MemberPage members(String channel, String afterUser, int limit);

    /** The channels a user belongs to, with the user's read cursor and unread counts (from the user's state). */
    UserChannels channelsOf(String user);
}
