package dev.parley.topology.query;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.api.events.EventJson;
import dev.parley.api.query.ChannelQueries;
import dev.parley.api.query.ChannelSummary;
import dev.parley.api.query.EventPage;
import dev.parley.api.query.MemberEntry;
import dev.parley.api.query.MemberPage;
import dev.parley.api.query.MessagePage;
import dev.parley.api.query.ThreadPage;
import dev.parley.api.query.UserChannel;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.event.MessageEdited;
import dev.parley.avro.event.MessagePosted;
import dev.parley.topology.channel.ChannelReader;
import dev.parley.topology.events.MessageJson;
import dev.parley.topology.state.ChannelMeta;
import dev.parley.topology.state.MemberState;
import dev.parley.topology.state.MessageOverlay;
import dev.parley.topology.state.StateSerde;
import dev.parley.topology.state.StoreKeys;
import dev.parley.topology.state.StoreNames;
import dev.parley.topology.state.UserChannelState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * Reads this instance's copy of one partition of {@code channel-state} or {@code user-state} (committed state:
 * interactive queries read at {@code READ_COMMITTED}). Never serves an event past {@code upTo}. Throws Kafka's
 * InvalidStateStoreException when the partition is not queryable here right now; {@link QueryService} decides
 * what to do about that.
 */
final class LocalStores {

    /** Counting stops here: a badge shows "10000+" beyond it. */
    static final int MAX_UNREAD_COUNTED = 10_000;

    private final KafkaStreams streams;
    private final Deserializer<ChannelEvent> events;

    LocalStores(KafkaStreams streams, Deserializer<ChannelEvent> events) {
        this.streams = streams;
        this.events = events;
    }

    EventPage eventsAfter(int partition, boolean stale, String channel, long after, int limit, long upTo) {
        ChannelReader r = channelState(partition, stale);
        long head = head(r, channel, upTo);
        List<ChannelEvent> page = new ArrayList<>();
        boolean more = false;
        long from = Math.max(0, after) + 1;
        if (from <= head) {
            try (KeyValueIterator<Bytes, byte[]> it = r.events(channel, from, head)) {
                while (it.hasNext()) {
                    byte[] raw = it.next().value;
                    if (page.size() == limit) {
                        more = true;
                        break;
                    }
                    page.add(r.decode(raw));
                }
            }
        }
        return new EventPage(channel, render(r, channel, page), head, more, stale);
    }

    EventPage eventsBefore(int partition, boolean stale, String channel, long before, int limit, long upTo) {
        ChannelReader r = channelState(partition, stale);
        long head = head(r, channel, upTo);
        long to = Math.min(before - 1, head);
        List<ChannelEvent> page = new ArrayList<>();
        boolean more = false;
        if (to >= 1) {
            try (KeyValueIterator<Bytes, byte[]> it = r.eventsDescending(channel, 1, to)) {
                while (it.hasNext()) {
                    byte[] raw = it.next().value;
                    if (page.size() == limit) {
                        more = true;
                        break;
                    }
                    page.add(r.decode(raw));
                }
            }
        }
        Collections.reverse(page);
        return new EventPage(channel, render(r, channel, page), head, more, stale);
    }

    MessagePage messagesBefore(int partition, boolean stale, String channel, long before, int limit, long upTo) {
        ChannelReader r = channelState(partition, stale);
        long head = head(r, channel, upTo);
        long to = Math.min(before - 1, head);
        List<ChannelEvent> posted = new ArrayList<>();
        boolean more = false;
        if (to >= 1) {
            try (KeyValueIterator<Bytes, byte[]> it = r.eventsDescending(channel, 1, to)) {
                while (it.hasNext()) {
                    ChannelEvent e = r.decode(it.next().value);
                    // Replies live in their thread; the root carries the count.
                    if (!(e.getPayload() instanceof MessagePosted m) || m.getThreadRoot() != null) {
                        continue;
                    }
                    if (posted.size() == limit) {
                        more = true;
                        break;
                    }
                    posted.add(e);
                }
            }
        }
        Collections.reverse(posted);
        List<ObjectNode> out = new ArrayList<>(posted.size());
        if (!posted.isEmpty()) {
            Map<Long, MessageOverlay> overlays = r.overlays(channel, posted.get(0).getSeq(), posted.get(posted.size() - 1).getSeq());
            for (ChannelEvent e : posted) {
                out.add(MessageJson.render(e, overlays.get(e.getSeq())));
            }
        }
        return new MessagePage(channel, out, head, more, stale);
    }

    Optional<ThreadPage> thread(int partition, boolean stale, String channel, long root, long afterReply, int limit, long upTo) {
        ChannelReader r = channelState(partition, stale);
        long head = head(r, channel, upTo);
        Optional<ChannelEvent> rootEvent = root <= head ? r.event(channel, root) : Optional.empty();
        if (rootEvent.isEmpty() || !(rootEvent.get().getPayload() instanceof MessagePosted)) {
            return Optional.empty();
        }
        List<ObjectNode> replies = new ArrayList<>();
        boolean more = false;
        long from = Math.max(0, afterReply) + 1;
        if (from <= head) {
            try (KeyValueIterator<Bytes, byte[]> it = r.replies(channel, root, from, head)) {
                while (it.hasNext()) {
                    long reply = StoreKeys.seqOf(it.next().key);
                    if (replies.size() == limit) {
                        more = true;
                        break;
                    }
                    Optional<ChannelEvent> e = r.event(channel, reply);
                    e.ifPresent(x -> replies.add(MessageJson.render(x, r.overlay(channel, reply))));
                }
            }
        }
        return Optional.of(new ThreadPage(channel, MessageJson.render(rootEvent.get(), r.overlay(channel, root)), replies, more, stale));
    }

    Optional<ChannelSummary> channel(int partition, boolean stale, String channel, long upTo) {
        return channelState(partition, stale).meta(channel).map(m -> summary(channel, m, upTo, stale));
    }

    /**
     * The channel's summary with a user's unread counts after {@code lastRead}: top-level messages from others,
     * not deleted, and how many of them mention the user (as they read now, after edits).
     */
    Optional<ChannelSummary> withUnread(int partition, boolean stale, String channel, String user, long lastRead) {
        ChannelReader r = channelState(partition, stale);
        Optional<ChannelMeta> meta = r.meta(channel);
        if (meta.isEmpty()) {
            return Optional.empty();
        }
        ChannelSummary summary = summary(channel, meta.get(), ChannelQueries.COMMITTED, stale);
        if (lastRead >= summary.head()) {
            return Optional.of(summary.withUnread(lastRead, 0, 0, false));
        }
        int unread = 0;
        int mentions = 0;
        int seen = 0;
        boolean capped = false;
        List<ChannelEvent> candidates = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = r.events(channel, lastRead + 1, summary.head())) {
            while (it.hasNext()) {
                if (++seen > MAX_UNREAD_COUNTED) {
                    capped = true;
                    break;
                }
                ChannelEvent e = r.decode(it.next().value);
                if (e.getPayload() instanceof MessagePosted m && m.getThreadRoot() == null && !e.getActor().getUser().equals(user)) {
                    candidates.add(e);
                }
            }
        }
        if (!candidates.isEmpty()) {
            Map<Long, MessageOverlay> overlays = r.overlays(channel, candidates.get(0).getSeq(), candidates.get(candidates.size() - 1).getSeq());
            for (ChannelEvent e : candidates) {
                MessageOverlay o = overlays.get(e.getSeq());
                if (o != null && o.getDeleted()) {
                    continue;
                }
                unread++;
                if (MessageJson.mentions((MessagePosted) e.getPayload(), o).contains(user)) {
                    mentions++;
                }
            }
        }
        return Optional.of(summary.withUnread(lastRead, unread, mentions, capped));
    }

    Optional<MemberEntry> member(int partition, boolean stale, String channel, String user) {
        return channelState(partition, stale).member(channel, user).map(s -> entry(channel, user, s));
    }

    MemberPage members(int partition, boolean stale, String channel, String afterUser, int limit) {
        ChannelReader r = channelState(partition, stale);
        List<MemberEntry> out = new ArrayList<>();
        boolean more = false;
        try (KeyValueIterator<Bytes, byte[]> it = r.members(channel, afterUser)) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                String user = StoreKeys.userOf(kv.key);
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

    /** A user's rows of {@code user-state}: channel, role, joined seq and read cursor (heads are filled in by the caller). */
    List<UserChannel> channelsOf(int partition, boolean stale, String user) {
        ReadOnlyKeyValueStore<Bytes, byte[]> store = store(StoreNames.USER_STATE, partition, stale);
        List<UserChannel> out = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.prefixScan(StoreKeys.userPrefix(user), Serdes.Bytes().serializer())) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                UserChannelState s = StateSerde.USER_CHANNEL.fromBytes(kv.value);
                if (s.getRole() == null) {
                    continue; // left: the cursor is kept for a return
                }
                out.add(new UserChannel(StoreKeys.channelOf(kv.key), s.getRole().toLowerCase(Locale.ROOT), s.getJoinedSeq(), 0, null,
                        null, 0, s.getLastRead(), 0, 0, false, 0));
            }
        }
        return out;
    }

    /** Which of {@code channels} {@code user} belongs to (a left channel does not count), in store order. */
    List<String> membershipsOf(int partition, boolean stale, String user, Set<String> channels) {
        ReadOnlyKeyValueStore<Bytes, byte[]> store = store(StoreNames.USER_STATE, partition, stale);
        List<String> out = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.prefixScan(StoreKeys.userPrefix(user), Serdes.Bytes().serializer())) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                String channel = StoreKeys.channelOf(kv.key);
                if (channels.contains(channel) && StateSerde.USER_CHANNEL.fromBytes(kv.value).getRole() != null) {
                    out.add(channel);
                }
            }
        }
        return out;
    }

    /** Renders a page of events; a message deleted since, and its edits, are served without their text. */
    private static List<ObjectNode> render(ChannelReader r, String channel, List<ChannelEvent> page) {
        if (page.isEmpty()) {
            return List.of();
        }
        long first = page.get(0).getSeq();
        long last = page.get(page.size() - 1).getSeq();
        Map<Long, MessageOverlay> overlays = new HashMap<>(r.overlays(channel, first, last));
        List<ObjectNode> out = new ArrayList<>(page.size());
        for (ChannelEvent e : page) {
            long message = e.getPayload() instanceof MessageEdited ed ? ed.getMessageSeq()
                    : e.getPayload() instanceof MessagePosted ? e.getSeq() : -1;
            boolean redacted = false;
            if (message > 0) {
                MessageOverlay o = message >= first ? overlays.get(message)
                        : overlays.computeIfAbsent(message, s -> r.overlay(channel, s));
                redacted = o != null && o.getDeleted();
            }
            out.add(EventJson.render(e, redacted));
        }
        return out;
    }

    private static long head(ChannelReader r, String channel, long upTo) {
        return Math.min(upTo, r.meta(channel).map(ChannelMeta::getHead).orElse(0L));
    }

    private static ChannelSummary summary(String channel, ChannelMeta m, long upTo, boolean stale) {
        return new ChannelSummary(channel, m.getVisibility().toLowerCase(Locale.ROOT), m.getTitle(), Math.min(upTo, m.getHead()),
                m.getCreatedBy(), m.getCreatedAt(), m.getMemberCount(), m.getLastEventAt(), stale, 0, 0, 0, false);
    }

    private static MemberEntry entry(String channel, String user, MemberState s) {
        return new MemberEntry(channel, user, s.getRole().toLowerCase(Locale.ROOT), s.getJoinedSeq(), s.getJoinedAt());
    }

    private ChannelReader channelState(int partition, boolean stale) {
        return new ChannelReader(store(StoreNames.CHANNEL_STATE, partition, stale), events);
    }

    private ReadOnlyKeyValueStore<Bytes, byte[]> store(String name, int partition, boolean stale) {
        StoreQueryParameters<ReadOnlyKeyValueStore<Bytes, byte[]>> params =
                StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<Bytes, byte[]>keyValueStore()).withPartition(partition);
        return streams.store(stale ? params.enableStaleStores() : params);
    }
}
