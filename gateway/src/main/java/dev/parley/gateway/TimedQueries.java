package dev.parley.gateway;

import dev.parley.api.query.ChannelQueries;
import dev.parley.api.query.ChannelSummary;
import dev.parley.api.query.EventPage;
import dev.parley.api.query.MemberEntry;
import dev.parley.api.query.MemberPage;
import dev.parley.api.query.MessagePage;
import dev.parley.api.query.ThreadPage;
import dev.parley.api.query.QueryUnavailableException;
import dev.parley.api.query.UserChannels;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The gateway's view of the topology's interactive queries, timed: every call lands in
 * {@code parley_gateway_query_latency{query, outcome}} (outcome {@code ok}, {@code unavailable}, {@code error}).
 */
final class TimedQueries implements ChannelQueries {

    private final ChannelQueries delegate;
    private final GatewayMetrics metrics;

    TimedQueries(ChannelQueries delegate, GatewayMetrics metrics) {
        this.delegate = delegate;
        this.metrics = metrics;
    }

    private <T> T timed(String query, Supplier<T> call) {
        long started = System.nanoTime();
        String outcome = "error";
        try {
            T result = call.get();
            outcome = "ok";
            return result;
        } catch (QueryUnavailableException e) {
            outcome = "unavailable";
            throw e;
        } finally {
            metrics.query(query, outcome, System.nanoTime() - started);
        }
    }

    @Override
    public EventPage eventsAfter(String channel, long after, int limit, long upTo) {
        return timed("events", () -> delegate.eventsAfter(channel, after, limit, upTo));
    }

    @Override
    public EventPage eventsBefore(String channel, long before, int limit, long upTo) {
        return timed("events", () -> delegate.eventsBefore(channel, before, limit, upTo));
    }

    @Override
    public Optional<ChannelSummary> channel(String channel, long upTo) {
        return timed("channel", () -> delegate.channel(channel, upTo));
    }

    @Override
    public Map<String, ChannelSummary> channels(String user, Map<String, Long> readCursors) {
        return timed("channels", () -> delegate.channels(user, readCursors));
    }

    @Override
    public MessagePage messagesBefore(String channel, long before, int limit, long upTo) {
        return timed("messages", () -> delegate.messagesBefore(channel, before, limit, upTo));
    }

    @Override
    public Optional<ThreadPage> thread(String channel, long root, long afterReply, int limit, long upTo) {
        return timed("thread", () -> delegate.thread(channel, root, afterReply, limit, upTo));
    }

    @Override
    public Optional<MemberEntry> member(String channel, String user) {
        return timed("member", () -> delegate.member(channel, user));
    }

    @Override
    public MemberPage members(String channel, String afterUser, int limit) {
        return timed("members", () -> delegate.members(channel, afterUser, limit));
    }

    @Override
    public UserChannels channelsOf(String user) {
        return timed("user_channels", () -> delegate.channelsOf(user));
    }
}
