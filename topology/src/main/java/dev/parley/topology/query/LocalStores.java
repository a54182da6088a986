package dev.parley.topology.query;

import dev.parley.api.query.ChannelSummary;
import dev.parley.api.query.EventPage;
import dev.parley.api.query.MemberEntry;
import dev.parley.api.query.MemberPage;
import dev.parley.api.query.MessagePage;
import dev.parley.api.query.ThreadPage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.api.events.EventJson;
import dev.parley.topology.events.MessageJson;
import dev.parley.topology.state.MessageView;
import dev.parley.topology.state.ChannelInfo;
import dev.parley.topology.state.MemberState;
import dev.parley.topology.state.StateSerde;
import dev.parley.topology.state.StoreKeys;
import dev.parley.topology.state.StoreNames;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads this instance's copy of one store partition. Throws Kafka's InvalidStateStoreException when the
 * partition is not queryable here right now; {@link QueryService} decides what to do about that.
 */
final class LocalStores {

    private final KafkaStreams streams;
    private final Deserializer<ChannelEvent> events;

    LocalStores(KafkaStreams streams, Deserializer<ChannelEvent> events) {
        this.streams = streams;
        this.events = events;
    }

    EventPage eventsAfter(int partition, boolean stale, String channel, long after, int limit) {
        ReadOnlyKeyValueStore<Bytes, byte[]> store = store(StoreNames.EVENTS, partition, stale);
        Page page;
        try (KeyValueIterator<Bytes, byte[]> it = store.range(StoreKeys.channelSeq(channel, Math.max(0, after) + 1),
                StoreKeys.channelSeq(channel, Long.MAX_VALUE))) {
            page = collect(it, limit, (k, v) -> render(v));
        }
        return new EventPage(channel, redact(partition, stale, channel, page.items()), head(partition, stale, channel), page.more(), stale);
    }

    EventPage eventsBefore(int partition, boolean stale, String channel, long before, int limit) {
        ReadOnlyKeyValueStore<Bytes, byte[]> store = store(StoreNames.EVENTS, partition, stale);
        Page page = Page.EMPTY;
        if (before > 1) {
            try (KeyValueIterator<Bytes, byte[]> it = store.reverseRange(StoreKeys.channelSeq(channel, 1),
                    StoreKeys.channelSeq(channel, before - 1))) {
                page = collect(it, limit, (k, v) -> render(v)).reversed();
            }
        }
        return new EventPage(channel, redact(partition, stale, channel, page.items()), head(partition, stale, channel), page.more(), stale);
    }

    MessagePage messagesBefore(int partition, boolean stale, String channel, long before, int limit) {
        ReadOnlyKeyValueStore<Bytes, byte[]> views = store(StoreNames.MESSAGE_VIEWS, partition, stale);
        Page page = Page.EMPTY;
        if (before > 1) {
            try (KeyValueIterator<Bytes, byte[]> it = views.reverseRange(StoreKeys.channelSeq(channel, 1),
                    StoreKeys.channelSeq(channel, before - 1))) {
                page = collect(it, limit, (k, v) -> {
                    MessageView view = StateSerde.MESSAGE_VIEW.fromBytes(v);
                    // Replies live in their thread; the root carries the count.
                    return view.getThreadRoot() != null ? null : MessageJson.render(channel, StoreKeys.seqOf(k), view);
                }).reversed();
            }
        }
        return new MessagePage(channel, page.items(), head(partition, stale, channel), page.more(), stale);
    }

    Optional<ThreadPage> thread(int partition, boolean stale, String channel, long root, long afterReply, int limit) {
        ReadOnlyKeyValueStore<Bytes, byte[]> views = store(StoreNames.MESSAGE_VIEWS, partition, stale);
        MessageView rootView = StateSerde.MESSAGE_VIEW.fromBytes(views.get(StoreKeys.channelSeq(channel, root)));
        if (rootView == null) {
            return Optional.empty();
        }
        ReadOnlyKeyValueStore<Bytes, byte[]> threads = store(StoreNames.THREAD_REPLIES, partition, stale);
        Page page;
        try (KeyValueIterator<Bytes, byte[]> it = threads.range(StoreKeys.threadReply(channel, root, Math.max(0, afterReply) + 1),
                StoreKeys.threadReply(channel, root, Long.MAX_VALUE))) {
            page = collect(it, limit, (k, v) -> {
                long reply = StoreKeys.seqOf(k);
                MessageView view = StateSerde.MESSAGE_VIEW.fromBytes(views.get(StoreKeys.channelSeq(channel, reply)));
                return view == null ? null : MessageJson.render(channel, reply, view);
            });
        }
        return Optional.of(new ThreadPage(channel, MessageJson.render(channel, root, rootView), page.items(), page.more(), stale));
    }

    /** Up to {@code limit} rendered entries of a scan, and whether more follow. */
    private record Page(List<ObjectNode> items, boolean more) {
        static final Page EMPTY = new Page(List.of(), false);

        Page reversed() {
            List<ObjectNode> r = new ArrayList<>(items);
            Collections.reverse(r);
            return new Page(r, more);
        }
    }

    /** Renders entries of a scan until {@code limit}; a render that returns null skips the entry. */
    private static Page collect(KeyValueIterator<Bytes, byte[]> it, int limit,
                                java.util.function.BiFunction<Bytes, byte[], ObjectNode> render) {
        List<ObjectNode> out = new ArrayList<>(Math.min(limit, 256));
        while (it.hasNext()) {
            KeyValue<Bytes, byte[]> kv = it.next();
            ObjectNode n = render.apply(kv.key, kv.value);
            if (n == null) {
                continue;
            }
            if (out.size() == limit) {
                return new Page(out, true);
            }
            out.add(n);
        }
        return new Page(out, false);
    }

    /** Counting stops here: a badge shows "10000+" beyond it. */
    static final int MAX_UNREAD_COUNTED = 10_000;

    /** The user's read cursor and unread counts in a channel (top-level messages from others after the cursor). */
    ChannelSummary withUnread(int partition, boolean stale, ChannelSummary summary, String user) {
        MemberState m = StateSerde.MEMBER.fromBytes(store(StoreNames.CHANNEL_MEMBERS, partition, stale)
                .get(StoreKeys.pair(summary.channel(), user)));
        long lastRead = m == null ? 0 : m.getLastRead();
        if (lastRead >= summary.head()) {
            return summary.withUnread(lastRead, 0, 0, false);
        }
        ReadOnlyKeyValueStore<Bytes, byte[]> views = store(StoreNames.MESSAGE_VIEWS, partition, stale);
        int unread = 0;
        int mentions = 0;
        int seen = 0;
        boolean capped = false;
        try (KeyValueIterator<Bytes, byte[]> it = views.range(StoreKeys.channelSeq(summary.channel(), lastRead + 1),
                StoreKeys.channelSeq(summary.channel(), Long.MAX_VALUE))) {
            while (it.hasNext()) {
                if (++seen > MAX_UNREAD_COUNTED) {
                    capped = true;
                    break;
                }
                MessageView v = StateSerde.MESSAGE_VIEW.fromBytes(it.next().value);
                if (v.getDeleted() || v.getThreadRoot() != null || v.getAuthor().equals(user)) {
                    continue;
                }
                unread++;
                if (v.getMentions().contains(user)) {
                    mentions++;
                }
            }
        }
        return summary.withUnread(lastRead, unread, mentions, capped);
    }

    /** Leaves the text out of events whose message was deleted since. */
    private List<ObjectNode> redact(int partition, boolean stale, String channel, List<ObjectNode> page) {
        if (page.isEmpty()) {
            return page;
        }
        long first = page.get(0).path("seq").asLong();
        long last = page.get(page.size() - 1).path("seq").asLong();
        java.util.Set<Long> redacted = new java.util.HashSet<>();
        ReadOnlyKeyValueStore<Bytes, byte[]> redactions = store(StoreNames.REDACTIONS, partition, stale);
        try (KeyValueIterator<Bytes, byte[]> it = redactions.range(StoreKeys.channelSeq(channel, first), StoreKeys.channelSeq(channel, last))) {
            it.forEachRemaining(kv -> redacted.add(StoreKeys.seqOf(kv.key)));
        }
        if (redacted.isEmpty()) {
            return page;
        }
        List<ObjectNode> out = new ArrayList<>(page.size());
        for (ObjectNode n : page) {
            if (redacted.contains(n.path("seq").asLong())) {
                n.remove("text");
                n.remove("mentions");
                n.put("deleted", true);
            }
            out.add(n);
        }
        return out;
    }

    Optional<ChannelSummary> channel(int partition, boolean stale, String channel) {
        ReadOnlyKeyValueStore<String, byte[]> store = store(StoreNames.CHANNEL_INFO, partition, stale);
        ChannelInfo info = StateSerde.CHANNEL_INFO.fromBytes(store.get(channel));
        return Optional.ofNullable(info).map(i -> summary(channel, i, stale));
    }

    Optional<MemberEntry> member(int partition, boolean stale, String channel, String user) {
        ReadOnlyKeyValueStore<Bytes, byte[]> store = store(StoreNames.CHANNEL_MEMBERS, partition, stale);
        MemberState m = StateSerde.MEMBER.fromBytes(store.get(StoreKeys.pair(channel, user)));
        return Optional.ofNullable(m).map(s -> entry(channel, user, s));
    }

    MemberPage members(int partition, boolean stale, String channel, String afterUser, int limit) {
        ReadOnlyKeyValueStore<Bytes, byte[]> store = store(StoreNames.CHANNEL_MEMBERS, partition, stale);
        List<MemberEntry> out = new ArrayList<>();
        boolean more = false;
        Bytes from = afterUser == null ? StoreKeys.prefix(channel) : StoreKeys.pair(channel, afterUser);
        try (KeyValueIterator<Bytes, byte[]> it = store.range(from, StoreKeys.prefixEnd(channel))) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                String user = StoreKeys.secondOf(kv.key);
                if (afterUser != null && user.equals(afterUser)) {
                    continue;
                }
                if (out.size() == limit) {
                    more = true;
                    break;
                }
                out.add(entry(channel, user, StateSerde.MEMBER.fromBytes(kv.value)));
            }
        }
        return new MemberPage(channel, out, more, stale);
    }

    /** The (channel, role, joinedSeq) rows of a user; heads are filled in by the caller. */
    List<MemberEntry> channelsOf(int partition, boolean stale, String user) {
        ReadOnlyKeyValueStore<Bytes, byte[]> store = store(StoreNames.USER_CHANNELS, partition, stale);
        List<MemberEntry> out = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.prefixScan(StoreKeys.prefix(user), Serdes.Bytes().serializer())) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                out.add(entry(StoreKeys.secondOf(kv.key), user, StateSerde.MEMBER.fromBytes(kv.value)));
            }
        }
        return out;
    }

    private long head(int partition, boolean stale, String channel) {
        return channel(partition, stale, channel).map(ChannelSummary::head).orElse(0L);
    }

    private ObjectNode render(byte[] raw) {
        return EventJson.render(events.deserialize("", raw));
    }

    private static ChannelSummary summary(String channel, ChannelInfo i, boolean stale) {
        return new ChannelSummary(channel, i.getVisibility().toLowerCase(Locale.ROOT), i.getTitle(), i.getHead(),
                i.getCreatedBy(), i.getCreatedAt(), i.getMemberCount(), i.getLastEventAt(), stale, 0, 0, 0, false);
    }

    private static MemberEntry entry(String channel, String user, MemberState s) {
        return new MemberEntry(channel, user, s.getRole().toLowerCase(Locale.ROOT), s.getJoinedSeq(), s.getJoinedAt());
    }

    private <K> ReadOnlyKeyValueStore<K, byte[]> store(String name, int partition, boolean stale) {
        StoreQueryParameters<ReadOnlyKeyValueStore<K, byte[]>> params =
                StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<K, byte[]>keyValueStore()).withPartition(partition);
        return streams.store(stale ? params.enableStaleStores() : params);
    }
}
