package dev.parley.notifier.streams;

import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.notify.Notification;
import dev.parley.avro.user.UserEvent;
import dev.parley.notifier.decide.OptInChange;
import dev.parley.notifier.presence.PresenceView;
import dev.parley.schemas.serde.ParleyAvroSerde;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Wires the notifier's Streams application:
 * <pre>
 *  parley.log ──┐
 *               ├─► channel side (members, threads, opt-ins) ─┐
 *  opt-ins ─────┘                                             ├─► repartition by user ─► user side ─┬─► parley.notifications
 *  parley.user-events ─► read cursors, preferences ───────────┘                 (preferences,  └─► opt-ins (by channel)
 *                                                                                cursors, digests, punctuator)
 * </pre>
 * Read cursors and preferences are the user's own state, kept by the topology's user sub-topology and announced on
 * {@code parley.user-events} ({@link UserEvents}); they join the candidates in the same repartition, so the user
 * side sees them in the order of that topic's partition.
 * The opt-ins topic closes the loop: the user side (which knows preferences) tells the channel side (which
 * sees messages) who wants every message of a channel. It must have the log's partition count.
 */
public final class NotifierTopology {

    private NotifierTopology() {
    }

    /**
     * @param topics     the topics it reads and writes
     * @param partitions      partitions of the by-user repartition topic
     * @param threadRetention a thread participation older than this is forgotten (pruned every few minutes)
     */
    public static Topology build(NotifierTopicNames topics, int partitions, Map<String, ?> serdeConfig,
                                 DigestSettings settings, long maxAgeMillis, Duration threadRetention, PresenceView presence,
                                 NotifierCounters counters) {
        Serde<ChannelEvent> events = ParleyAvroSerde.forValue(ChannelEvent.class, serdeConfig);
        Serde<Notification> notifications = ParleyAvroSerde.forValue(Notification.class, serdeConfig);

        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(kv(Stores.persistentKeyValueStore(NotifierStores.CHANNELS), Serdes.String()));
        builder.addStateStore(kv(Stores.persistentKeyValueStore(NotifierStores.MEMBERS), Serdes.Bytes()));
        builder.addStateStore(kv(Stores.persistentKeyValueStore(NotifierStores.THREADS), Serdes.Bytes()));
        builder.addStateStore(kv(Stores.persistentKeyValueStore(NotifierStores.THREAD_EXPIRY), Serdes.Bytes()));
        builder.addStateStore(kv(Stores.persistentKeyValueStore(NotifierStores.OPT_INS), Serdes.Bytes()));
        builder.addStateStore(kv(Stores.persistentKeyValueStore(NotifierStores.PREFERENCES), Serdes.String()));
        builder.addStateStore(kv(Stores.persistentKeyValueStore(NotifierStores.USER_CHANNELS), Serdes.Bytes()));
        builder.addStateStore(kv(Stores.persistentKeyValueStore(NotifierStores.CURSORS), Serdes.Bytes()));
        builder.addStateStore(kv(Stores.persistentKeyValueStore(NotifierStores.PENDING), Serdes.String()));
        builder.addStateStore(kv(Stores.persistentKeyValueStore(NotifierStores.DUE), Serdes.Bytes()));

        KStream<byte[], byte[]> log = builder.stream(topics.log(),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("log-source"));
        KStream<byte[], byte[]> optIns = builder.stream(topics.optIns(),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("optins-source"));
        KStream<String, UserInput> own = builder.stream(topics.userEvents(),
                        Consumed.with(Serdes.String(), ParleyAvroSerde.forValue(UserEvent.class, serdeConfig)).withName("user-events-source"))
                .flatMapValues(UserEvents::toInputs, Named.as("user-events-inputs"));
        var decided = log.merge(optIns, Named.as("channel-inputs"))
                .process(() -> new ChannelSideProcessor(topics.log(), events.deserializer(), settings.previewChars(),
                                maxAgeMillis, threadRetention, counters), Named.as("channel-side"),
                        NotifierStores.CHANNELS, NotifierStores.MEMBERS, NotifierStores.THREADS, NotifierStores.THREAD_EXPIRY,
                        NotifierStores.OPT_INS)
                .merge(own, Named.as("user-inputs"))
                .repartition(Repartitioned.with(Serdes.String(), Json.serde(UserInput.class))
                        .withName("to-user").withNumberOfPartitions(partitions))
                .process(() -> new UserSideProcessor(settings, presence, counters), Named.as("user-side"),
                        NotifierStores.PREFERENCES, NotifierStores.USER_CHANNELS, NotifierStores.CURSORS,
                        NotifierStores.PENDING, NotifierStores.DUE)
                .split(Named.as("decided-"))
                .branch((k, v) -> v instanceof Notification, Branched.as("notifications"))
                .branch((k, v) -> v instanceof OptInChange, Branched.as("optins"))
                .noDefaultBranch();
        decided.get("decided-notifications").mapValues(v -> (Notification) v, Named.as("notification-cast"))
                .to(topics.notifications(), Produced.with(Serdes.String(), notifications).withName("notifications-sink"));
        decided.get("decided-optins").mapValues(v -> (OptInChange) v, Named.as("optin-cast"))
                .to(topics.optIns(), Produced.with(Serdes.String(), Json.serde(OptInChange.class)).withName("optins-sink"));
        return builder.build();
    }

    private static <K> StoreBuilder<org.apache.kafka.streams.state.KeyValueStore<K, byte[]>> kv(
            KeyValueBytesStoreSupplier supplier, Serde<K> keySerde) {
        return Stores.keyValueStoreBuilder(supplier, keySerde, Serdes.ByteArray());
    }
}
