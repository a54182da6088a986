package dev.parley.topology.query;

import dev.parley.api.query.ChannelQueries;
import dev.parley.api.query.ChannelSummary;
import dev.parley.api.query.CommonChannels;
import dev.parley.api.query.UserMemberships;
import dev.parley.api.query.EventPage;
import dev.parley.api.query.MemberEntry;
import dev.parley.api.query.MemberPage;
import dev.parley.api.query.MessagePage;
import dev.parley.api.query.QueryUnavailableException;
import dev.parley.api.query.ThreadPage;
import dev.parley.api.query.UserChannel;
import dev.parley.api.query.UserChannels;

import dev.parley.avro.event.ChannelEvent;
import dev.parley.topology.state.StoreNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@link ChannelQueries} on any instance: locally when this instance owns the key, otherwise by
 * forwarding to the owner over HTTP. While the owner is down, restoring or rebalancing it falls back to a
 * standby (or a stale local) copy and says so ({@code stale=true}); InvalidStateStoreException is retried
 * until a deadline instead of failing the caller. A forwarded request is always answered locally.
 */
public final class QueryService implements ChannelQueries {

    private static final Logger LOG = LoggerFactory.getLogger(QueryService.class);

    private final OwnerLookup owners;
    private final LocalStores local;
    private final Function<HostInfo, ChannelQueries> remote;
    private final Duration timeout;
    private final boolean forwarded;

    public QueryService(KafkaStreams streams, HostInfo self, Deserializer<ChannelEvent> events,
                        Function<HostInfo, ChannelQueries> remote, Duration timeout) {
        this(new OwnerLookup(streams, self), new LocalStores(streams, events), remote, timeout, false);
    }

    private QueryService(OwnerLookup owners, LocalStores local, Function<HostInfo, ChannelQueries> remote,
                         Duration timeout, boolean forwarded) {
        this.owners = owners;
        this.local = local;
        this.remote = remote;
        this.timeout = timeout;
        this.forwarded = forwarded;
    }

    /** The view used for requests another instance forwarded here: answered from local copies only. */
    public ChannelQueries forForwardedRequests() {
        return new QueryService(owners, local, remote, timeout, true);
    }

    /** A local read: (partition, stale allowed) -> answer. */
    private interface Local<T> {
        T read(int partition, boolean stale);
    }

    private <T> T route(String store, String key, Local<T> localRead, Function<ChannelQueries, T> remoteRead) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long backoffMs = 20;
        RuntimeException last = null;
        while (true) {
            Optional<OwnerLookup.Owners> found = owners.owners(store, key);
            if (found.isPresent()) {
                OwnerLookup.Owners o = found.get();
                try {
                    if (owners.isSelf(o.active())) {
                        return readLocal(o.partition(), localRead);
                    }
                    if (forwarded) {
                        // The caller thought we own it; metadata is moving. Serve a local copy if we have one.
                        return localRead.read(o.partition(), true);
                    }
                    try {
                        return remoteRead.apply(remote.apply(o.active()));
                    } catch (QueryUnavailableException e) {
                        last = e;
                        T fromStandby = readStandby(o, localRead, remoteRead);
                        if (fromStandby != null) {
                            return fromStandby;
                        }
                    }
                } catch (InvalidStateStoreException e) {
                    last = e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new QueryUnavailableException("store " + store + " for key '" + key + "' is not queryable on any replica"
                        + (last == null ? " (no metadata: the application is starting or rebalancing)" : ": " + last.getMessage()), last);
            }
            sleep(backoffMs);
            backoffMs = Math.min(500, backoffMs * 2);
        }
    }

    /** The active copy here; if it is restoring, the same copy marked stale. */
    private <T> T readLocal(int partition, Local<T> localRead) {
        try {
            return localRead.read(partition, false);
        } catch (InvalidStateStoreException e) {
            return localRead.read(partition, true);
        }
    }

    private <T> T readStandby(OwnerLookup.Owners o, Local<T> localRead, Function<ChannelQueries, T> remoteRead) {
        for (HostInfo standby : o.standbys()) {
            try {
                if (owners.isSelf(standby)) {
                    return localRead.read(o.partition(), true);
                }
                return remoteRead.apply(remote.apply(standby));
            } catch (QueryUnavailableException | InvalidStateStoreException e) {
                LOG.debug("standby {} could not answer: {}", standby, e.getMessage());
            }
        }
        return null;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QueryUnavailableException("interrupted while waiting for a queryable store", e);
        }
    }

    private static int clamp(int limit) {
        return Math.max(1, Math.min(MAX_PAGE, limit));
    }

    @Override
    public EventPage eventsAfter(String channel, long after, int limit, long upTo) {
        int l = clamp(limit);
        return route(StoreNames.CHANNEL_STATE, channel, (p, s) -> local.eventsAfter(p, s, channel, after, l, upTo),
                q -> q.eventsAfter(channel, after, l, upTo));
    }

    @Override
    public EventPage eventsBefore(String channel, long before, int limit, long upTo) {
        int l = clamp(limit);
        return route(StoreNames.CHANNEL_STATE, channel, (p, s) -> local.eventsBefore(p, s, channel, before, l, upTo),
                q -> q.eventsBefore(channel, before, l, upTo));
    }

    @Override
    public Optional<ChannelSummary> channel(String channel, long upTo) {
        return route(StoreNames.CHANNEL_STATE, channel, (p, s) -> local.channel(p, s, channel, upTo), q -> q.channel(channel, upTo));
    }

    @Override
    public MessagePage messagesBefore(String channel, long before, int limit, long upTo) {
        int l = clamp(limit);
        return route(StoreNames.CHANNEL_STATE, channel, (p, s) -> local.messagesBefore(p, s, channel, before, l, upTo),
                q -> q.messagesBefore(channel, before, l, upTo));
    }

    @Override
    public Optional<ThreadPage> thread(String channel, long root, long afterReply, int limit, long upTo) {
        int l = clamp(limit);
        return route(StoreNames.CHANNEL_STATE, channel, (p, s) -> local.thread(p, s, channel, root, afterReply, l, upTo),
                q -> q.thread(channel, root, afterReply, l, upTo));
    }

    @Override
    public Map<String, ChannelSummary> channels(String user, Map<String, Long> readCursors) {
        // Group by owning host so that each host is asked once.
        Map<HostInfo, Map<String, Long>> byHost = new LinkedHashMap<>();
        Map<String, Long> unrouted = new LinkedHashMap<>();
        for (var c : readCursors.entrySet()) {
            Optional<OwnerLookup.Owners> o = owners.owners(StoreNames.CHANNEL_STATE, c.getKey());
            if (o.isPresent() && !forwarded && !owners.isSelf(o.get().active())) {
                byHost.computeIfAbsent(o.get().active(), h -> new LinkedHashMap<>()).put(c.getKey(), c.getValue());
            } else {
                unrouted.put(c.getKey(), c.getValue());
            }
        }
        Map<String, ChannelSummary> out = new HashMap<>();
        for (var e : byHost.entrySet()) {
            try {
                out.putAll(remote.apply(e.getKey()).channels(user, e.getValue()));
            } catch (QueryUnavailableException ex) {
                unrouted.putAll(e.getValue()); // one by one, with standby fallback
            }
        }
        for (var c : unrouted.entrySet()) {
            summaryFor(user, c.getKey(), c.getValue()).ifPresent(s -> out.put(c.getKey(), s));
        }
        return out;
    }

    private Optional<ChannelSummary> summaryFor(String user, String channel, long lastRead) {
        return route(StoreNames.CHANNEL_STATE, channel, (p, s) -> local.withUnread(p, s, channel, user, lastRead),
                q -> q.channels(user, Map.of(channel, lastRead)).values().stream().findFirst());
    }

    @Override
    public Optional<MemberEntry> member(String channel, String user) {
        return route(StoreNames.CHANNEL_STATE, channel, (p, s) -> local.member(p, s, channel, user), q -> q.member(channel, user));
    }

    @Override
    public MemberPage members(String channel, String afterUser, int limit) {
        int l = clamp(limit);
        return route(StoreNames.CHANNEL_STATE, channel, (p, s) -> local.members(p, s, channel, afterUser, l),
                q -> q.members(channel, afterUser, l));
    }

    @Override
    public UserChannels channelsOf(String user) {
        UserChannels rows = route(StoreNames.USER_STATE, user, (p, s) -> new UserChannels(user, local.channelsOf(p, s, user), s),
                q -> q.channelsOf(user));
        if (forwarded) {
            return rows; // the forwarding instance only wants this user's rows; it fills in the channels itself
        }
        Map<String, Long> cursors = new LinkedHashMap<>();
        rows.channels().forEach(r -> cursors.put(r.channel(), r.lastRead()));
        Map<String, ChannelSummary> summaries = channels(user, cursors);
        boolean stale = rows.stale();
        List<UserChannel> out = new ArrayList<>();
        for (UserChannel r : rows.channels()) {
            ChannelSummary s = summaries.get(r.channel());
            if (s == null) {
                // The membership is committed, so is the channel state it came from; a store applies it a moment
                // after the commit. Until then the membership itself says as much as is known.
                out.add(new UserChannel(r.channel(), r.role(), r.joinedSeq(), r.joinedSeq(), null, null, 0, r.lastRead(), 0, 0, false, 0));
                continue;
            }
            stale |= s.stale();
            out.add(new UserChannel(r.channel(), r.role(), r.joinedSeq(), s.head(), s.visibility(), s.title(), s.lastEventAt(),
                    s.lastRead(), s.unread(), s.mentions(), s.unreadCapped(), s.memberCount()));
        }
        out.sort(Comparator.comparing(UserChannel::channel));
        return new UserChannels(user, out, stale);
    }

    @Override
    public CommonChannels commonChannels(String user, Collection<String> others) {
        List<String> candidates = CommonChannels.candidates(user, others);
        requireAtMostMaxUsers(candidates.size());
        if (candidates.isEmpty()) {
            return new CommonChannels(user, Map.of(), false);
        }
        // The user's own rows only (a forwarded channelsOf does not add the channels' summaries).
        UserChannels mine = route(StoreNames.USER_STATE, user, (p, s) -> new UserChannels(user, local.channelsOf(p, s, user), s),
                q -> q.channelsOf(user));
        Set<String> channels = new HashSet<>();
        mine.channels().forEach(c -> channels.add(c.channel()));
        if (channels.isEmpty()) {
            return new CommonChannels(user, Map.of(), mine.stale());
        }
        return CommonChannels.of(user, channels, memberships(candidates, channels), mine.stale());
    }

    @Override
    public UserMemberships memberships(Collection<String> users, Collection<String> channels) {
        requireAtMostMaxUsers(users.size());
        Set<String> wanted = new HashSet<>(channels);
        // Group by owning host so that each host is asked once; the rest (here, or unknown owners) one by one.
        Map<HostInfo, List<String>> byHost = new LinkedHashMap<>();
        List<String> unrouted = new ArrayList<>();
        for (String u : new LinkedHashSet<>(users)) {
            Optional<OwnerLookup.Owners> o = owners.owners(StoreNames.USER_STATE, u);
            if (o.isPresent() && !forwarded && !owners.isSelf(o.get().active())) {
                byHost.computeIfAbsent(o.get().active(), h -> new ArrayList<>()).add(u);
            } else {
                unrouted.add(u);
            }
        }
        Map<String, List<String>> out = new HashMap<>();
        boolean stale = false;
        for (var e : byHost.entrySet()) {
            try {
                UserMemberships m = remote.apply(e.getKey()).memberships(e.getValue(), wanted);
                out.putAll(m.channels());
                stale |= m.stale();
            } catch (QueryUnavailableException ex) {
                unrouted.addAll(e.getValue()); // one by one, with standby fallback
            }
        }
        for (String u : unrouted) {
            UserMemberships m = route(StoreNames.USER_STATE, u,
                    (p, s) -> one(u, local.membershipsOf(p, s, u, wanted), s),
                    q -> q.memberships(List.of(u), wanted));
            out.putAll(m.channels());
            stale |= m.stale();
        }
        return new UserMemberships(out, stale);
    }

    private static UserMemberships one(String user, List<String> channels, boolean stale) {
        return new UserMemberships(channels.isEmpty() ? Map.of() : Map.of(user, channels), stale);
    }

    private static void requireAtMostMaxUsers(int n) {
        if (n > MAX_USERS) {
            throw new IllegalArgumentException("at most " + MAX_USERS + " users per query, got " + n);
        }
    }
}
