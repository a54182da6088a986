package dev.parley.gateway.support;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.api.query.ChannelQueries;
import dev.parley.api.query.CommonChannels;
import dev.parley.api.query.UserMemberships;
import java.util.Collection;
import dev.parley.api.query.ChannelSummary;
import dev.parley.api.query.EventPage;
import dev.parley.api.query.MemberEntry;
import dev.parley.api.query.MemberPage;
import dev.parley.api.query.MessagePage;
import dev.parley.api.query.ThreadPage;
import dev.parley.api.query.UserChannel;
import dev.parley.api.query.UserChannels;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fault-injecting decorator around the real topology client: while {@link #lag} is set, the store of one
 * channel looks as if it had not applied its newest {@code lag} events yet (as a store does that trails the
 * committed log by a commit): event pages stop short of them, heads are reported that much lower.
 * Also, after {@link #holdNextCommonChannels}, the next {@code commonChannels} answer is fetched from the real
 * topology at once but handed back only when the test says so (an answer that is old by the time it arrives).
 * And after {@link #stallChannelsOf}, every {@code channelsOf} waits until the test releases it (a topology too
 * busy to answer the hellos of a reconnect storm). Everything else goes to the real topology unchanged.
 */
public final class LaggingStore implements ChannelQueries {

    private final ChannelQueries real;
    private volatile String channel;
    private volatile int lag;
    private final AtomicInteger laggingPages = new AtomicInteger();
    private volatile java.util.concurrent.CountDownLatch stall;
    private final AtomicInteger stalledCalls = new AtomicInteger();

    private final java.util.concurrent.atomic.AtomicReference<Hold> hold = new java.util.concurrent.atomic.AtomicReference<>();

    /** The next commonChannels call: {@code fetched} opens once its answer is in, the answer returns once {@code release} opens. */
    public record Hold(java.util.concurrent.CountDownLatch fetched, java.util.concurrent.CountDownLatch release) {
    }

    public Hold holdNextCommonChannels() {
        Hold h = new Hold(new java.util.concurrent.CountDownLatch(1), new java.util.concurrent.CountDownLatch(1));
        hold.set(h);
        return h;
    }

    public LaggingStore(ChannelQueries real) {
        this.real = real;
    }

    /** From now on, hide the newest {@code events} events of {@code channel}. */
    public void lag(String channel, int events) {
        this.channel = channel;
        this.lag = events;
    }

    /** The store has caught up: answer from the real one again. */
    public void release() {
        this.lag = 0;
    }

    /** How many event pages were answered from the lagging view. */
    public int lagging() {
        return laggingPages.get();
    }

    private boolean lagging(String c) {
        return lag > 0 && c.equals(channel);
    }

    @Override
    public EventPage eventsAfter(String c, long after, int limit, long upTo) {
        EventPage page = real.eventsAfter(c, after, limit, upTo);
        if (!lagging(c)) {
            return page;
        }
        long visible = page.head() - lag;
        List<ObjectNode> events = page.events().stream().filter(e -> e.path("seq").asLong() <= visible).toList();
        laggingPages.incrementAndGet();
        return new EventPage(c, events, visible, page.more() && events.size() == page.events().size(), page.stale());
    }

    @Override
    public EventPage eventsBefore(String c, long before, int limit, long upTo) {
        return real.eventsBefore(c, before, limit, upTo);
    }

    @Override
    public Optional<ChannelSummary> channel(String c, long upTo) {
        return real.channel(c, upTo);
    }

    @Override
    public Map<String, ChannelSummary> channels(String user, Map<String, Long> readCursors) {
        return real.channels(user, readCursors);
    }

    @Override
    public MessagePage messagesBefore(String c, long before, int limit, long upTo) {
        return real.messagesBefore(c, before, limit, upTo);
    }

    @Override
    public Optional<ThreadPage> thread(String c, long root, long afterReply, int limit, long upTo) {
        return real.thread(c, root, afterReply, limit, upTo);
    }

    @Override
    public Optional<MemberEntry> member(String c, String user) {
        return real.member(c, user);
    }

    @Override
    public MemberPage members(String c, String afterUser, int limit) {
        return real.members(c, afterUser, limit);
    }

    /**
     * From now on every {@code channelsOf} (what each {@code hello} asks) blocks until the returned latch opens, as
     * it would against a topology too busy to answer; {@link #stalled()} counts the calls waiting.
     */
    public java.util.concurrent.CountDownLatch stallChannelsOf() {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        stall = release;
        return release;
    }

    /** {@code channelsOf} calls blocked by {@link #stallChannelsOf} right now. */
    public int stalled() {
        return stalledCalls.get();
    }

    @Override
    public UserChannels channelsOf(String user) {
        java.util.concurrent.CountDownLatch s = stall;
        if (s != null && s.getCount() > 0) {
            stalledCalls.incrementAndGet();
            try {
                s.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                stalledCalls.decrementAndGet();
            }
        }
        UserChannels mine = real.channelsOf(user);
        if (lag == 0) {
            return mine;
        }
        List<UserChannel> out = mine.channels().stream().map(u -> !lagging(u.channel()) ? u
                : new UserChannel(u.channel(), u.role(), u.joinedSeq(), u.head() - lag, u.visibility(), u.title(), u.lastEventAt(),
                        u.lastRead(), u.unread(), u.mentions(), u.unreadCapped(), u.members())).toList();
        return new UserChannels(user, out, mine.stale());
    }

    @Override
    public CommonChannels commonChannels(String user, Collection<String> others) {
        CommonChannels answer = real.commonChannels(user, others);
        Hold h = hold.getAndSet(null);
        if (h != null) {
            h.fetched().countDown();
            try {
                if (!h.release().await(60, java.util.concurrent.TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the held commonChannels answer was never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return answer;
    }

    @Override
    public UserMemberships memberships(Collection<String> users, Collection<String> channels) {
        return real.memberships(users, channels);
    }
}
