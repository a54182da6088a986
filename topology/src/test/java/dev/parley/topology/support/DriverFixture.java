package dev.parley.topology.support;

import dev.parley.avro.command.CommandEnvelope;
import dev.parley.avro.dlq.DeadLetter;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.result.CommandResult;
import dev.parley.schemas.registry.InMemorySchemaRegistry;
import dev.parley.schemas.serde.ParleyAvroSerde;
import dev.parley.schemas.topics.TopicNames;
import dev.parley.avro.user.UserEvent;
import dev.parley.topology.StoreSuppliers;
import dev.parley.topology.TopologyFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** A TopologyTestDriver over Parley's real topology, with a mock:// registry and typed topics. */
public final class DriverFixture implements AutoCloseable {

    public final TopicNames names = new TopicNames("parley.");
    public final String scope;
    public final Map<String, Object> serdeConfig;
    public final TopologyTestDriver driver;
    public final TestInputTopic<String, CommandEnvelope> commands;
    public final TestInputTopic<String, byte[]> rawCommands;
    public final TestOutputTopic<String, ChannelEvent> log;
    public final TestOutputTopic<String, CommandResult> results;
    public final TestOutputTopic<String, DeadLetter> deadLetters;
    public final TestOutputTopic<String, UserEvent> userEvents;
    public static final String APPLICATION_ID = "parley-topology-test";

    public DriverFixture(Path stateDir, Duration idempotencyWindow) {
        this(stateDir, idempotencyWindow, "driver-" + UUID.randomUUID());
    }

    /** Same state dir and scope = the same application state, as after a restart. */
    public DriverFixture(Path stateDir, Duration idempotencyWindow, String scope) {
        this(stateDir, idempotencyWindow, scope, StoreSuppliers.ROCKSDB);
    }

    /** With the stores from {@code suppliers} (e.g. counting ones). */
    public DriverFixture(Path stateDir, Duration idempotencyWindow, String scope, StoreSuppliers suppliers) {
        this.scope = scope;
        this.serdeConfig = Map.of("schema.registry.url", "mock://" + scope);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(TopologyFactory.build(names, serdeConfig, idempotencyWindow, APPLICATION_ID, suppliers), props);
        var commandSerde = ParleyAvroSerde.forValue(CommandEnvelope.class, serdeConfig);
        commands = driver.createInputTopic(names.commands(), Serdes.String().serializer(), commandSerde.serializer());
        rawCommands = driver.createInputTopic(names.commands(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
        log = driver.createOutputTopic(names.log(), Serdes.String().deserializer(),
                ParleyAvroSerde.forValue(ChannelEvent.class, serdeConfig).deserializer());
        results = driver.createOutputTopic(names.results(), Serdes.String().deserializer(),
                ParleyAvroSerde.forValue(CommandResult.class, serdeConfig).deserializer());
        userEvents = driver.createOutputTopic(names.userEvents(), Serdes.String().deserializer(),
                ParleyAvroSerde.forValue(UserEvent.class, serdeConfig).deserializer());
        deadLetters = driver.createOutputTopic(names.deadLetters(), Serdes.String().deserializer(),
                ParleyAvroSerde.forValue(DeadLetter.class, serdeConfig).deserializer());
    }

    /** Pipes a command keyed by its channel, with its own timestamp as the record time. */
    public void pipe(CommandEnvelope cmd) {
        commands.pipeInput(cmd.getChannel(), cmd, cmd.getTimestamp());
    }

    public void pipeAll(List<CommandEnvelope> cmds) {
        cmds.forEach(this::pipe);
    }

    private final List<byte[]> logBytes = new java.util.ArrayList<>();

    /** Every log record's value so far, byte for byte (read once from the driver, then kept). */
    public List<byte[]> rawLogRecords() {
        logBytes.addAll(driver.createOutputTopic(names.log(), Serdes.String().deserializer(), Serdes.ByteArray().deserializer())
                .readValuesToList());
        return List.copyOf(logBytes);
    }

    public byte[] rawLogRecords(int i) {
        return rawLogRecords().get(i);
    }

    /** The records written to a store's changelog so far (TopologyTestDriver captures them like any output). */
    public List<org.apache.kafka.streams.test.TestRecord<byte[], byte[]>> changelog(String store) {
        return driver.createOutputTopic(APPLICATION_ID + "-" + store + "-changelog", Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer()).readRecordsToList();
    }

    public static Instant at(long secondsFromStart) {
        return Instant.parse("2026-11-28T10:00:00Z").plusSeconds(secondsFromStart);
    }

    /** Closes the driver, keeping the registry scope (for a restart on the same state dir). */
    @Override
    public void close() {
        driver.close();
    }

    public void dropRegistry() {
        InMemorySchemaRegistry.dropScope(scope);
    }
}
