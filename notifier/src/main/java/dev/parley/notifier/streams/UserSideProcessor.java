package dev.parley.notifier.streams;

import dev.parley.avro.notify.Notification;
import dev.parley.avro.notify.NotificationItem;
import dev.parley.avro.notify.NotificationReason;
import dev.parley.notifier.decide.Candidate;
import dev.parley.notifier.decide.OptInChange;
import dev.parley.notifier.decide.OptIns;
import dev.parley.notifier.decide.PostedMessage;
import dev.parley.notifier.decide.PreferencePolicy;
import dev.parley.notifier.decide.Preferences;
import dev.parley.notifier.digest.DigestDecision;
import dev.parley.notifier.digest.DigestItem;
import dev.parley.notifier.digest.PendingDigest;
import dev.parley.notifier.presence.PresenceView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.BytesSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The user side (partitioned by user): applies preferences and read cursors to candidates, gathers them in
 * one pending digest per user, and every scan interval (wall clock) decides the digests that are due
 * ({@link DigestDecision}): a notification to the notifications topic, in the same transaction as the state
 * change, or a cancellation. Keeps the channels' opt-in indexes in step with preferences.
 */
final class UserSideProcessor implements Processor<String, UserInput, String, Object> {

    private static final byte[] PRESENT = new byte[0];

    private final DigestSettings settings;
    private final PresenceView presence;
    private final NotifierCounters counters;

    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, byte[]> preferences;
    private KeyValueStore<Bytes, byte[]> userChannels;
    private KeyValueStore<Bytes, byte[]> cursors;
    private KeyValueStore<String, byte[]> pending;
    private KeyValueStore<Bytes, byte[]> due;

    UserSideProcessor(DigestSettings settings, PresenceView presence, NotifierCounters counters) {
        this.settings = settings;
        this.presence = presence;
        this.counters = counters;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.preferences = context.getStateStore(NotifierStores.PREFERENCES);
        this.userChannels = context.getStateStore(NotifierStores.USER_CHANNELS);
        this.cursors = context.getStateStore(NotifierStores.CURSORS);
        this.pending = context.getStateStore(NotifierStores.PENDING);
        this.due = context.getStateStore(NotifierStores.DUE);
        context.schedule(settings.scanInterval(), PunctuationType.WALL_CLOCK_TIME, this::fireDue);
    }

    @Override
    public void process(Record<String, UserInput> record) {
        Object v = record.value();
        if (v instanceof UserInput.Notify n) {
            candidate(n.candidate());
        } else if (v instanceof UserInput.CursorMoved c) {
            cursor(c.user(), c.channel(), c.upTo());
        } else if (v instanceof UserInput.Membership m) {
            membership(m);
        } else if (v instanceof UserInput.PreferencesSet p) {
            preferencesSet(p.user(), p.preferences());
        }
    }

    private void candidate(Candidate c) {
        PostedMessage m = c.message();
        Long cursor = readCursor(c.user(), m.channel());
        if (!PreferencePolicy.admits(preferencesOf(c.user()), c) || (cursor != null && m.seq() <= cursor)) {
            counters.filtered();
            return;
        }
        DigestItem item = new DigestItem(m.channel(), m.seq(), m.eventId(), m.messageId(), m.sender(), m.timestamp(),
                c.reason(), m.threadRoot(), m.text());
        PendingDigest current = pendingOf(c.user());
        if (current == null) {
            PendingDigest opened = PendingDigest.open(c.user(), item, settings.delay().toMillis());
            due.put(StoreKeys.due(opened.dueAt(), c.user()), PRESENT);
            pending.put(c.user(), Json.write(opened));
        } else {
            pending.put(c.user(), Json.write(current.with(item, settings.trackCap())));
        }
    }

    private void cursor(String user, String channel, long upTo) {
        Long before = readCursor(user, channel);
        if (before != null && before >= upTo) {
            return; // cursors only move forward
        }
        cursors.put(StoreKeys.pair(user, channel), Long.toString(upTo).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        update(user, d -> d.read(channel, upTo), "read");
    }

    private void membership(UserInput.Membership m) {
        Bytes k = StoreKeys.pair(m.user(), m.channel());
        if (m.joined()) {
            userChannels.put(k, PRESENT);
            OptIns.onJoined(m.user(), m.channel(), preferencesOf(m.user())).forEach(this::optIn);
        } else {
            userChannels.delete(k);
            cursors.delete(k);
            // Never notify of a channel the user is no longer in (a private channel's text must not leak).
            update(m.user(), d -> d.read(m.channel(), Long.MAX_VALUE), "left");
        }
    }

    private void preferencesSet(String user, Preferences next) {
        Preferences before = preferencesOf(user);
        preferences.put(user, Json.write(next));
        List<String> channels = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = userChannels.prefixScan(StoreKeys.prefix(user), new BytesSerializer())) {
            it.forEachRemaining(kv -> channels.add(StoreKeys.second(kv.key)));
        }
        OptIns.onPreferencesChanged(user, before, next, channels).forEach(this::optIn);
        update(user, d -> d.retain(i -> next.effective(i.channel()).admits(i.reason())), "preferences");
    }

    private void optIn(OptInChange change) {
        context.forward(new Record<String, Object>(change.channel(), change, context.currentSystemTimeMs()));
    }

    private void update(String user, java.util.function.UnaryOperator<PendingDigest> change, String why) {
        PendingDigest current = pendingOf(user);
        if (current == null) {
            return;
        }
        PendingDigest next = change.apply(current);
        if (next == current) {
            return;
        }
        if (next.isEmpty()) {
            drop(current);
            counters.cancelled(why);
        } else {
            pending.put(user, Json.write(next));
        }
    }

    private void drop(PendingDigest d) {
        pending.delete(d.user());
        due.delete(StoreKeys.due(d.dueAt(), d.user()));
    }

    /** The punctuator: decides every digest due by now, oldest first. */
    void fireDue(long now) {
        List<KeyValue<Bytes, byte[]>> ready = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = due.all()) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                if (StoreKeys.dueAt(kv.key) > now) {
                    break;
                }
                ready.add(kv);
            }
        }
        for (KeyValue<Bytes, byte[]> kv : ready) {
            String user = StoreKeys.dueUser(kv.key);
            PendingDigest d = pendingOf(user);
            due.delete(kv.key);
            if (d == null) {
                continue;
            }
            pending.delete(user);
            DigestDecision decision = DigestDecision.decide(d, presence.presence(user));
            if (decision instanceof DigestDecision.Notify n) {
                Notification out = notification(n, now);
                context.forward(new Record<String, Object>(user, out, now));
                counters.queued(out.getCount());
            } else if (decision instanceof DigestDecision.Cancel c) {
                counters.cancelled(c.why());
            }
        }
    }

    private Notification notification(DigestDecision.Notify n, long now) {
        PendingDigest d = n.digest();
        List<NotificationItem> items = new ArrayList<>();
        for (DigestItem i : d.latest(settings.latest())) {
            items.add(NotificationItem.newBuilder()
                    .setChannel(i.channel()).setSeq(i.seq()).setMessageId(i.messageId()).setEventId(i.eventId())
                    .setSender(i.sender()).setTimestamp(Instant.ofEpochMilli(i.timestamp()))
                    .setReason(NotificationReason.valueOf(i.reason().name())).setThreadRoot(i.threadRoot())
                    .setText(i.text()).build());
        }
        return Notification.newBuilder()
                .setNotificationId(n.notificationId())
                .setUser(d.user())
                .setCreatedAt(Instant.ofEpochMilli(now))
                .setFirstAt(Instant.ofEpochMilli(d.firstAt()))
                .setDueAt(Instant.ofEpochMilli(d.dueAt()))
                .setCount(d.count())
                .setItems(items)
                .build();
    }

    private Preferences preferencesOf(String user) {
        Preferences p = Json.read(preferences.get(user), Preferences.class);
        return p == null ? Preferences.DEFAULT : p;
    }

    private PendingDigest pendingOf(String user) {
        return Json.read(pending.get(user), PendingDigest.class);
    }

    private Long readCursor(String user, String channel) {
        byte[] v = cursors.get(StoreKeys.pair(user, channel));
        return v == null ? null : Long.parseLong(new String(v, java.nio.charset.StandardCharsets.US_ASCII));
    }
}
