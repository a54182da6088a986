package dev.parley.topology;

import dev.parley.avro.command.CommandEnvelope;
import dev.parley.avro.dlq.DeadLetter;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.result.CommandResult;
import dev.parley.avro.user.UserEvent;
import dev.parley.schemas.serde.ParleyAvroSerde;
import dev.parley.schemas.topics.TopicNames;
import dev.parley.topology.channel.ChannelProcessor;
import dev.parley.topology.errors.DeadLetters;
import dev.parley.topology.state.StateSerde;
import dev.parley.topology.state.StoreNames;
import dev.parley.topology.state.UserUpdate;
import dev.parley.topology.user.UserProcessor;
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
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * Wires Parley's Streams topology, two sub-topologies (docs/architecture.md):
 * <ol>
 *   <li>channel (source {@code commands}, partitioned by channel): {@link ChannelProcessor} with the stores
 *       {@code channel-state} and {@code dedupe} -> the log (bytes encoded once), results, dead letters, and
 *       user-keyed updates -> repartition {@code user-updates};</li>
 *   <li>user (partitioned by user): {@link UserProcessor} with {@code user-state} -> results (read cursors) and
 *       {@code user-events}.</li>
 * </ol>
 * Everything one command causes in a sub-topology commits in one transaction (exactly_once_v2).
 */
public final class TopologyFactory {

    private TopologyFactory() {
    }

    public static Topology build(TopicNames topics, Map<String, ?> serdeConfig, Duration idempotencyWindow, String applicationId) {
        return build(topics, serdeConfig, idempotencyWindow, applicationId, StoreSuppliers.ROCKSDB);
    }

    public static Topology build(TopicNames topics, Map<String, ?> serdeConfig, Duration idempotencyWindow, String applicationId,
                                 StoreSuppliers suppliers) {
        Serde<CommandEnvelope> commands = ParleyAvroSerde.forValue(CommandEnvelope.class, serdeConfig);
        Serde<ChannelEvent> events = ParleyAvroSerde.forValue(ChannelEvent.class, serdeConfig);
        DeadLetters deadLetters = new DeadLetters(applicationId);
        StreamsBuilder builder = new StreamsBuilder();
        addChannelStores(builder, suppliers, idempotencyWindow);
        ProcessorSupplier<byte[], byte[], String, Object> channel = () -> new ChannelProcessor(commands.deserializer(),
                events.serializer(), events.deserializer(), topics.log(), deadLetters, idempotencyWindow);
        KStream<String, Object> out = builder.stream(topics.commands(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName("commands-source"))
                .process(channel, Named.as("channel-processor"), StoreNames.CHANNEL_STATE, StoreNames.DEDUPE);
        KStream<String, UserUpdate> updates = routeChannelOutput(out, topics, serdeConfig);
        addUserSubTopology(builder, updates, topics, serdeConfig, suppliers);
        return builder.build();
    }

    /**
     * The topology that rebuilds the same stores from the log ({@code dev.parley.topology.rebuild.StateRebuild}):
     * the log instead of the commands feeds the channel sub-topology, through the same fold; the user
     * sub-topology is the same. Same store names and sub-topology numbers, so the state it leaves (local and in
     * the changelogs) is the state the topology starts from.
     */
    public static Topology rebuild(TopicNames topics, Map<String, ?> serdeConfig, Duration idempotencyWindow,
                                   ProcessorSupplier<byte[], byte[], String, Object> fromLog) {
        StreamsBuilder builder = new StreamsBuilder();
        addChannelStores(builder, StoreSuppliers.ROCKSDB, idempotencyWindow);
        KStream<String, Object> out = builder.stream(topics.log(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName("log-source"))
                .process(fromLog, Named.as("channel-processor"), StoreNames.CHANNEL_STATE, StoreNames.DEDUPE);
        KStream<String, UserUpdate> updates = routeChannelOutput(out, topics, serdeConfig);
        addUserSubTopology(builder, updates, topics, serdeConfig, StoreSuppliers.ROCKSDB);
        return builder.build();
    }

    /** The channel sub-topology's stores (also used by the rebuild from the log). */
    static void addChannelStores(StreamsBuilder builder, StoreSuppliers suppliers, Duration idempotencyWindow) {
        builder.addStateStore(Stores.keyValueStoreBuilder(suppliers.keyValue(StoreNames.CHANNEL_STATE), Serdes.Bytes(), Serdes.ByteArray()));
        builder.addStateStore(Stores.windowStoreBuilder(suppliers.window(StoreNames.DEDUPE, idempotencyWindow, idempotencyWindow),
                Serdes.Bytes(), Serdes.ByteArray()));
    }

    /**
     * Where the channel processor's output goes, by value type: log bytes, results, dead letters; user updates
     * (the default branch) go on to the user sub-topology through the {@code user-updates} repartition topic.
     */
    static KStream<String, UserUpdate> routeChannelOutput(KStream<String, Object> out, TopicNames topics, Map<String, ?> serdeConfig) {
        Serde<CommandResult> results = ParleyAvroSerde.forValue(CommandResult.class, serdeConfig);
        Serde<DeadLetter> letters = ParleyAvroSerde.forValue(DeadLetter.class, serdeConfig);
        Map<String, KStream<String, Object>> branches = out.split(Named.as("channel-"))
                .branch((k, v) -> v instanceof byte[], Branched.withConsumer(log -> log.mapValues(v -> (byte[]) v, Named.as("log-cast"))
                        .to(topics.log(), Produced.with(Serdes.String(), Serdes.ByteArray()).withName("log-sink")), "log"))
                .branch((k, v) -> v instanceof CommandResult, Branched.withConsumer(r -> r.mapValues(v -> (CommandResult) v,
                        Named.as("results-cast")).to(topics.results(), Produced.with(Serdes.String(), results).withName("results-sink")), "results"))
                .branch((k, v) -> v instanceof DeadLetter, Branched.withConsumer(d -> d.mapValues(v -> (DeadLetter) v, Named.as("dlq-cast"))
                        .to(topics.deadLetters(), Produced.with(Serdes.String(), letters).withName("dlq-sink")), "dead-letters"))
                .defaultBranch(Branched.as("user-updates"));
        return branches.get("channel-user-updates")
                .mapValues(v -> (UserUpdate) v, Named.as("user-update-cast"))
                .repartition(Repartitioned.with(Serdes.String(), StateSerde.USER_UPDATE).withName(StoreNames.USER_UPDATES));
    }

    /** The user sub-topology: user-state, and the results and user events of read cursors. */
    static void addUserSubTopology(StreamsBuilder builder, KStream<String, UserUpdate> updates, TopicNames topics,
                                   Map<String, ?> serdeConfig, StoreSuppliers suppliers) {
        Serde<CommandResult> results = ParleyAvroSerde.forValue(CommandResult.class, serdeConfig);
        Serde<UserEvent> userEvents = ParleyAvroSerde.forValue(UserEvent.class, serdeConfig);
        builder.addStateStore(Stores.keyValueStoreBuilder(suppliers.keyValue(StoreNames.USER_STATE), Serdes.Bytes(), Serdes.ByteArray()));
        updates.process(UserProcessor::new, Named.as("user-processor"), StoreNames.USER_STATE)
                .split(Named.as("user-"))
                .branch((k, v) -> v instanceof CommandResult, Branched.withConsumer(r -> r.mapValues(v -> (CommandResult) v,
                        Named.as("user-results-cast")).to(topics.results(), Produced.with(Serdes.String(), results).withName("user-results-sink")), "results"))
                .defaultBranch(Branched.withConsumer(e -> e.mapValues(v -> (UserEvent) v, Named.as("user-events-cast"))
                        .to(topics.userEvents(), Produced.with(Serdes.String(), userEvents).withName("user-events-sink")), "events"));
    }
}
