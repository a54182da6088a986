package dev.parley.topology.sequencer;

import dev.parley.avro.command.CommandEnvelope;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.result.Accepted;
import dev.parley.avro.result.CommandResult;
import dev.parley.avro.result.Duplicate;
import dev.parley.avro.result.Rejected;
import dev.parley.avro.result.Unchanged;
import dev.parley.topology.state.StateSerde;
import dev.parley.topology.errors.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Kafka plumbing around {@link CommandDecider}: reads a command, asks the decider, then writes the event to
 * the log, the state changes to the stores and the result to the results topic. Under exactly_once_v2 all
 * three commit in one transaction, so a result is visible only if its event is.
 */
public final class SequencerProcessor implements Processor<byte[], byte[], String, Object> {

    public static final String LOG_SINK = "log-sink";
    public static final String RESULTS_SINK = "results-sink";
    public static final String DEAD_LETTER_SINK = "commands-dlq-sink";

    private static final Logger LOG = LoggerFactory.getLogger(SequencerProcessor.class);

    private final CommandDecider decider = new CommandDecider();
    private final Deserializer<CommandEnvelope> commands;
    private final DeadLetters deadLetters;
    private final Duration idempotencyWindow;
    private ProcessorContext<String, Object> context;
    private SequencerStores stores;

    public SequencerProcessor(Deserializer<CommandEnvelope> commands, DeadLetters deadLetters, Duration idempotencyWindow) {
        this.commands = commands;
        this.deadLetters = deadLetters;
        this.idempotencyWindow = idempotencyWindow;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.stores = SequencerStores.from(context);
    }

    @Override
    public void process(Record<byte[], byte[]> raw) {
        String key = raw.key() == null ? null : new String(raw.key(), StandardCharsets.UTF_8);
        CommandEnvelope cmd;
        try {
            cmd = commands.deserialize(context.recordMetadata().map(RecordMetadata::topic).orElse(""), raw.value());
            if (cmd == null) {
                throw new CommandProcessingException("a record without a value (tombstone) is not a command");
            }
        } catch (RuntimeException e) {
            if (!DeadLetters.isPoison(e)) {
                throw e; // e.g. registry unreachable: fail the task, the record is retried after the thread is replaced
            }
            deadLetter(raw, key, DeadLetters.Stage.DESERIALIZATION, e);
            return;
        }
        Record<String, CommandEnvelope> record = new Record<>(key, cmd, raw.timestamp());
        long now = record.timestamp();
        Decision decision;
        if (key == null || !key.equals(cmd.getChannel())) {
            decision = new Decision.Rejected(ErrorCode.INVALID, "record key '" + key
                    + "' is not the command's channel '" + cmd.getChannel() + "': commands must be keyed by channel");
        } else {
            try {
                decision = decider.decide(cmd, new StoreChannelView(stores, cmd.getChannel(), now, idempotencyWindow));
            } catch (RuntimeException e) {
                // Not a rejection but a failure: dead-letter the original bytes and tell the client.
                // Nothing was written to the stores or the log.
                LOG.error("sequencer failed on command {} of channel {}; dead-lettering it", cmd.getCommandId(), key, e);
                deadLetter(raw, key, DeadLetters.Stage.PROCESSING, e);
                forwardResult(record, cmd, new Rejected(ErrorCode.INTERNAL_ERROR.wire(),
                        "the sequencer failed on this command; it was sent to the dead-letter topic"));
                return;
            }
        }
        if (decision instanceof Decision.Append append) {
            ChannelEvent event = append.event();
            stores.apply(event, StateSerde.CHANNEL_META.fromBytes(stores.channels().get(cmd.getChannel())));
            context.forward(new Record<String, Object>(event.getChannel(), event, now), LOG_SINK);
            forwardResult(record, cmd, new Accepted(event.getSeq(), event.getEventId(), event.getMessageId()));
        } else if (decision instanceof Decision.Duplicate dup) {
            forwardResult(record, cmd, new Duplicate(dup.original().getSeq(), dup.original().getEventId(), dup.original().getMessageId()));
        } else if (decision instanceof Decision.Unchanged unchanged) {
            forwardResult(record, cmd, new Unchanged(unchanged.code(), unchanged.head()));
        } else if (decision instanceof Decision.Rejected rejected) {
            forwardResult(record, cmd, new Rejected(rejected.code().wire(), rejected.message()));
        }
    }

    private void deadLetter(Record<byte[], byte[]> raw, String key, DeadLetters.Stage stage, RuntimeException e) {
        context.forward(new Record<String, Object>(key, deadLetters.letter(context, raw.timestamp(), raw.key(), raw.value(), stage, e),
                raw.timestamp()), DEAD_LETTER_SINK);
    }

    private void forwardResult(Record<String, CommandEnvelope> record, CommandEnvelope cmd, Object outcome) {
        CommandResult result = CommandResult.newBuilder()
                .setCommandId(cmd.getCommandId())
                .setGatewayId(cmd.getGatewayId())
                .setRequestId(cmd.getRequestId())
                .setChannel(cmd.getChannel())
                .setActor(cmd.getActor())
                .setTimestamp(cmd.getTimestamp())
                .setOutcome(outcome)
                .build();
        context.forward(new Record<String, Object>(cmd.getGatewayId(), result, record.timestamp()), RESULTS_SINK);
    }
}
