package dev.parley.topology;

import dev.parley.avro.command.CommandEnvelope;
import dev.parley.avro.dlq.DeadLetter;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.result.CommandResult;
import dev.parley.schemas.serde.ParleyAvroSerde;
import dev.parley.schemas.topics.TopicNames;
import dev.parley.topology.errors.DeadLetters;
import dev.parley.topology.projection.EventProjector;
import dev.parley.topology.projection.LoggedEvent;
import dev.parley.topology.projection.UserChannelsProjector;
import dev.parley.topology.sequencer.SequencerProcessor;
import dev.parley.topology.state.StoreNames;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Wires Parley's Streams topology:
 * <ol>
 *   <li>write side: commands -> {@link SequencerProcessor} (stores seq-*) -> log + results, one transaction;</li>
 *   <li>read side: log -> {@link EventProjector} (log-events, channel-info, channel-members) -> repartition by
 *       user -> {@link UserChannelsProjector} (user-channels).</li>
 * </ol>
 * The read side consumes only committed events, so interactive queries never serve an event that could
 * still be aborted.
 */
public final class TopologyFactory {

    private TopologyFactory() {
    }

    public static Topology build(TopicNames topics, Map<String, ?> serdeConfig, Duration idempotencyWindow, String applicationId) {
        Serde<CommandEnvelope> commands = ParleyAvroSerde.forValue(CommandEnvelope.class, serdeConfig);
        Serde<ChannelEvent> events = ParleyAvroSerde.forValue(ChannelEvent.class, serdeConfig);
        Serde<CommandResult> results = ParleyAvroSerde.forValue(CommandResult.class, serdeConfig);
        Serde<DeadLetter> letters = ParleyAvroSerde.forValue(DeadLetter.class, serdeConfig);
        Serde<LoggedEvent> logged = LoggedEvent.serde(events);
        DeadLetters deadLetters = new DeadLetters(applicationId);

        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(kv(Stores.persistentKeyValueStore(StoreNames.EVENTS), Serdes.Bytes()));
        builder.addStateStore(kv(Stores.persistentKeyValueStore(StoreNames.CHANNEL_INFO), Serdes.String()));
        builder.addStateStore(kv(Stores.persistentKeyValueStore(StoreNames.CHANNEL_MEMBERS), Serdes.Bytes()));
        builder.addStateStore(kv(Stores.persistentKeyValueStore(StoreNames.USER_CHANNELS), Serdes.Bytes()));
        builder.addStateStore(kv(Stores.persistentKeyValueStore(StoreNames.MESSAGE_VIEWS), Serdes.Bytes()));
        builder.addStateStore(kv(Stores.persistentKeyValueStore(StoreNames.THREAD_REPLIES), Serdes.Bytes()));
        builder.addStateStore(kv(Stores.persistentKeyValueStore(StoreNames.REDACTIONS), Serdes.Bytes()));
        var projected = builder.stream(topics.log(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("log-source"))
                .process(() -> new EventProjector(events.deserializer(), deadLetters), Named.as("event-projector"),
                        StoreNames.EVENTS, StoreNames.CHANNEL_INFO, StoreNames.CHANNEL_MEMBERS, StoreNames.MESSAGE_VIEWS,
                        StoreNames.THREAD_REPLIES, StoreNames.REDACTIONS)
                .split(Named.as("projected-"))
                .branch((k, v) -> v instanceof DeadLetter, Branched.as("dead-letters"))
                .defaultBranch(Branched.as("memberships"));
        projected.get("projected-dead-letters").mapValues(v -> (DeadLetter) v, Named.as("log-dlq-cast"))
                .to(topics.deadLetters(), Produced.with(Serdes.String(), letters).withName("log-dlq-sink"));
        projected.get("projected-memberships").mapValues(v -> (LoggedEvent) v, Named.as("membership-cast"))
                .repartition(Repartitioned.with(Serdes.String(), logged).withName("user-membership"))
                .process(UserChannelsProjector::new, Named.as("user-channels-projector"), StoreNames.USER_CHANNELS);

        Topology topology = builder.build();
        topology.addSource("commands-source", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), topics.commands());
        topology.addProcessor("sequencer", () -> new SequencerProcessor(commands.deserializer(), deadLetters, idempotencyWindow),
                "commands-source");
        topology.addStateStore(kv(Stores.persistentKeyValueStore(StoreNames.SEQ_CHANNELS), Serdes.String()), "sequencer");
        topology.addStateStore(kv(Stores.persistentKeyValueStore(StoreNames.SEQ_MEMBERS), Serdes.Bytes()), "sequencer");
        topology.addStateStore(kv(Stores.persistentKeyValueStore(StoreNames.SEQ_MESSAGES), Serdes.Bytes()), "sequencer");
        topology.addStateStore(kv(Stores.persistentKeyValueStore(StoreNames.SEQ_REACTIONS), Serdes.Bytes()), "sequencer");
        topology.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(StoreNames.SEQ_DEDUPE, idempotencyWindow, idempotencyWindow, false),
                Serdes.Bytes(), Serdes.ByteArray()), "sequencer");
        topology.addSink(SequencerProcessor.LOG_SINK, topics.log(), Serdes.String().serializer(),
                (topic, value) -> events.serializer().serialize(topic, (ChannelEvent) value), "sequencer");
        topology.addSink(SequencerProcessor.RESULTS_SINK, topics.results(), Serdes.String().serializer(),
                (topic, value) -> results.serializer().serialize(topic, (CommandResult) value), "sequencer");
        topology.addSink(SequencerProcessor.DEAD_LETTER_SINK, topics.deadLetters(), Serdes.String().serializer(),
                (topic, value) -> letters.serializer().serialize(topic, (DeadLetter) value), "sequencer");
        return topology;
    }

    private static <K> StoreBuilder<org.apache.kafka.streams.state.KeyValueStore<K, byte[]>> kv(
            KeyValueBytesStoreSupplier supplier, Serde<K> keySerde) {
        return Stores.keyValueStoreBuilder(supplier, keySerde, Serdes.ByteArray());
    }
}
