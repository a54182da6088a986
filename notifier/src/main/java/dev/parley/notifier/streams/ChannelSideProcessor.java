package dev.parley.notifier.streams;

import dev.parley.api.DirectChannels;
import dev.parley.avro.Visibility;
import dev.parley.avro.event.ChannelCreated;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.event.MemberJoined;
import dev.parley.avro.event.MemberLeft;
import dev.parley.avro.event.MessagePosted;
import dev.parley.notifier.decide.Candidate;
import dev.parley.notifier.decide.NotificationDecider;
import dev.parley.notifier.decide.OptInChange;
import dev.parley.notifier.decide.PostedMessage;
import dev.parley.schemas.serde.SerdeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The channel side (partitioned like the log): follows each channel's members, threads and opt-in index from
 * the committed log, asks the {@link NotificationDecider} who is a candidate for each message, and forwards
 * candidates and membership changes keyed by user to the user side. Also applies opt-in changes the user
 * side computes.
 */
final class ChannelSideProcessor implements Processor<byte[], byte[], String, UserInput> {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelSideProcessor.class);
    private static final byte[] PRESENT = new byte[0];
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);

    private final String logTopic;
    private final Deserializer<ChannelEvent> events;
    private final NotificationDecider decider = new NotificationDecider();
    private final int previewChars;
    private final long maxAgeMillis;
    private final Duration threadRetention;
    private final NotifierCounters counters;

    private ProcessorContext<String, UserInput> context;
    private KeyValueStore<String, byte[]> channels;
    private KeyValueStore<Bytes, byte[]> members;
    private KeyValueStore<Bytes, byte[]> threads;
    private KeyValueStore<Bytes, byte[]> threadExpiry;
    private KeyValueStore<Bytes, byte[]> optIns;

    ChannelSideProcessor(String logTopic, Deserializer<ChannelEvent> events, int previewChars, long maxAgeMillis,
                         Duration threadRetention, NotifierCounters counters) {
        this.logTopic = logTopic;
        this.events = events;
        this.previewChars = previewChars;
        this.maxAgeMillis = maxAgeMillis;
        this.threadRetention = threadRetention;
        this.counters = counters;
    }

    @Override
    public void init(ProcessorContext<String, UserInput> context) {
        this.context = context;
        this.channels = context.getStateStore(NotifierStores.CHANNELS);
        this.members = context.getStateStore(NotifierStores.MEMBERS);
        this.threads = context.getStateStore(NotifierStores.THREADS);
        this.threadExpiry = context.getStateStore(NotifierStores.THREAD_EXPIRY);
        context.schedule(PRUNE_EVERY, PunctuationType.WALL_CLOCK_TIME, this::pruneThreads);
        this.optIns = context.getStateStore(NotifierStores.OPT_INS);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse(logTopic);
        if (topic.equals(logTopic)) {
            ChannelEvent e = decode(record);
            if (e != null) {
                apply(e, record.timestamp());
            }
        } else {
            applyOptIn(Json.read(record.value(), OptInChange.class));
        }
    }

    private ChannelEvent decode(Record<byte[], byte[]> record) {
        try {
            return events.deserialize(logTopic, record.value());
        } catch (SerdeException e) {
            if (!e.reason().isPoison()) {
                throw e; // the registry is unreachable: fail the task, the record is retried
            }
            // The topology dead-letters undecodable log records itself; the notifier only skips them.
            counters.skipped();
            LOG.warn("skipping an undecodable log record: {}", e.getMessage());
            return null;
        }
    }

    private void apply(ChannelEvent e, long recordTs) {
        String channel = e.getChannel();
        Object p = e.getPayload();
        if (p instanceof ChannelCreated created) {
            boolean direct = created.getDirect() || DirectChannels.isDirect(channel);
            channels.put(channel, Json.write(new ChannelMeta(direct, created.getVisibility() == Visibility.PRIVATE)));
            List<String> in = new ArrayList<>();
            in.add(e.getActor().getUser());
            in.addAll(created.getMembers());
            in.forEach(u -> joined(channel, u, recordTs));
        } else if (p instanceof MemberJoined joined) {
            joined(channel, joined.getUser(), recordTs);
        } else if (p instanceof MemberLeft left) {
            members.delete(StoreKeys.pair(channel, left.getUser()));
            optIns.delete(StoreKeys.pair(channel, left.getUser()));
            forward(new UserInput.Membership(left.getUser(), channel, false), recordTs);
        } else if (p instanceof MessagePosted posted) {
            message(e, posted, recordTs);
        }
        // READ events of logs written before read cursors left the channel sequence are ignored: cursors come from
        // parley.user-events (the topology migrates old ones into its user state, docs/operations.md "Upgrading").
    }

    private void joined(String channel, String user, long ts) {
        members.put(StoreKeys.pair(channel, user), PRESENT);
        forward(new UserInput.Membership(user, channel, true), ts);
    }

    private void message(ChannelEvent e, MessagePosted posted, long ts) {
        String channel = e.getChannel();
        PostedMessage m = new PostedMessage(channel, e.getSeq(), e.getEventId(), e.getMessageId(), e.getActor().getUser(),
                e.getTimestamp().toEpochMilli(), posted.getThreadRoot(), posted.getMentions(), preview(posted.getText()));
        // A message older than the maximum age (a first start on an existing log, a notifier down for long) still
        // builds the thread index, but notifies nobody: nobody wants an hour-old "new message" notification.
        if (context.currentSystemTimeMs() - m.timestamp() <= maxAgeMillis) {
            ChannelMeta meta = Json.read(channels.get(channel), ChannelMeta.class);
            List<Candidate> candidates = decider.decide(m, new StoreChannelFacts(channel, meta, members, threads, optIns));
            for (Candidate c : candidates) {
                forward(new UserInput.Notify(c), ts);
            }
            counters.candidates(candidates.size());
        }
        // The sender takes part in the thread from now on (a top-level message is a thread root), for the retention.
        long root = m.isReply() ? m.threadRoot() : m.seq();
        Bytes k = StoreKeys.triple(channel, root, m.sender());
        byte[] before = threads.get(k);
        if (before != null && before.length == Long.BYTES) { // an empty value: a development state without times
            threadExpiry.delete(StoreKeys.aged(ByteBuffer.wrap(before).getLong(), k));
        }
        threads.put(k, ByteBuffer.allocate(8).putLong(m.timestamp()).array());
        threadExpiry.put(StoreKeys.aged(m.timestamp(), k), PRESENT);
    }

    /**
     * Forgets thread participations whose last post is older than the retention (by the wall clock), oldest first:
     * the thread index stays bounded by what was posted within the retention.
     */
    void pruneThreads(long now) {
        long cutoff = now - threadRetention.toMillis();
        List<Bytes> expired = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = threadExpiry.all()) {
            while (it.hasNext()) {
                Bytes aged = it.next().key;
                if (StoreKeys.agedAt(aged) >= cutoff) {
                    break;
                }
                expired.add(aged);
            }
        }
        for (Bytes aged : expired) {
            threadExpiry.delete(aged);
            threads.delete(StoreKeys.agedKey(aged));
        }
        counters.threadsPruned(expired.size());
    }

    private void applyOptIn(OptInChange change) {
        if (change == null) {
            return;
        }
        Bytes k = StoreKeys.pair(change.channel(), change.user());
        if (change.wantsAll() && members.get(k) != null) {
            optIns.put(k, PRESENT);
        } else {
            optIns.delete(k); // also when the user left in the meantime
        }
    }

    private String preview(String text) {
        if (text == null || previewChars <= 0) {
            return "";
        }
        if (text.length() <= previewChars) {
            return text;
        }
        int end = previewChars;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--; // never cut a surrogate pair in half
        }
        return text.substring(0, end) + "…";
    }

    private void forward(UserInput input, long ts) {
        context.forward(new Record<>(input.user(), input, ts));
    }
}
