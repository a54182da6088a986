package dev.parley.topology.channel;

import dev.parley.api.events.Memberships;
import dev.parley.avro.command.CommandEnvelope;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.result.Accepted;
import dev.parley.avro.result.CommandResult;
import dev.parley.avro.result.Duplicate;
import dev.parley.avro.result.Rejected;
import dev.parley.avro.result.Unchanged;
import dev.parley.topology.errors.DeadLetters;
import dev.parley.topology.sequencer.CommandDecider;
import dev.parley.topology.sequencer.CommandProcessingException;
import dev.parley.topology.sequencer.Decision;
import dev.parley.topology.sequencer.ErrorCode;
import dev.parley.topology.state.CommandRef;
import dev.parley.topology.state.StoreNames;
import dev.parley.topology.state.UserUpdate;
import dev.parley.topology.state.UserUpdateKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The channel sub-topology's one processor, the Kafka edge around {@link CommandDecider}: decodes a command
 * once, asks the decider over {@code channel-state}, applies the event with {@link ChannelFold}, and forwards,
 * in the same step and therefore the same transaction (exactly_once_v2): the event's bytes for the log (encoded
 * once, the same bytes the store keeps), the result for the gateway, and user-keyed updates (memberships, read
 * cursors) for the user sub-topology. Values forwarded: {@code byte[]} (a log record), {@link CommandResult},
 * {@link dev.parley.avro.dlq.DeadLetter}, {@link UserUpdate}.
 */
public final class ChannelProcessor implements Processor<byte[], byte[], String, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelProcessor.class);

    private final CommandDecider decider = new CommandDecider();
    private final Deserializer<CommandEnvelope> commands;
    private final Serializer<ChannelEvent> eventEncoder;
    private final Deserializer<ChannelEvent> eventDecoder;
    private final String logTopic;
    private final DeadLetters deadLetters;
    private final Duration idempotencyWindow;
    private ProcessorContext<String, Object> context;
    private ChannelStore store;
    private WindowStore<Bytes, byte[]> dedupe;
    private ChannelFold fold;

    public ChannelProcessor(Deserializer<CommandEnvelope> commands, Serializer<ChannelEvent> eventEncoder,
                            Deserializer<ChannelEvent> eventDecoder, String logTopic, DeadLetters deadLetters,
                            Duration idempotencyWindow) {
        this.commands = commands;
        this.eventEncoder = eventEncoder;
        this.eventDecoder = eventDecoder;
        this.logTopic = logTopic;
        this.deadLetters = deadLetters;
        this.idempotencyWindow = idempotencyWindow;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        KeyValueStore<Bytes, byte[]> state = context.getStateStore(StoreNames.CHANNEL_STATE);
        this.store = new ChannelStore(state, eventDecoder);
        this.dedupe = context.getStateStore(StoreNames.DEDUPE);
        this.fold = new ChannelFold(store, dedupe);
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
        long now = raw.timestamp();
        if (key == null || !key.equals(cmd.getChannel())) {
            result(cmd, now, new Rejected(ErrorCode.INVALID.wire(), "record key '" + key
                    + "' is not the command's channel '" + cmd.getChannel() + "': commands must be keyed by channel"));
            return;
        }
        StoreChannelView view = new StoreChannelView(store, dedupe, cmd.getChannel(), now, idempotencyWindow);
        Decision decision;
        try {
            decision = decider.decide(cmd, view);
        } catch (RuntimeException e) {
            // Not a rejection but a failure: dead-letter the original bytes and tell the client. Nothing was written.
            LOG.error("the decider failed on command {} of channel {}; dead-lettering it", cmd.getCommandId(), key, e);
            deadLetter(raw, key, DeadLetters.Stage.PROCESSING, e);
            result(cmd, now, new Rejected(ErrorCode.INTERNAL_ERROR.wire(),
                    "the topology failed on this command; it was sent to the dead-letter topic"));
            return;
        }
        if (decision instanceof Decision.Append append) {
            ChannelEvent event = append.event();
            byte[] bytes = eventEncoder.serialize(logTopic, event); // once: the log record and the store share them
            fold.apply(event, bytes, view.channel().orElse(null));
            context.forward(new Record<String, Object>(event.getChannel(), bytes, now));
            result(cmd, now, new Accepted(event.getSeq(), event.getEventId(), event.getMessageId()));
            for (Memberships.Change c : Memberships.of(event)) {
                forwardUpdate(new UserUpdate(c.user(), event.getChannel(), c.joined() ? UserUpdateKind.JOINED : UserUpdateKind.LEFT,
                        c.joined() ? c.role().name() : null, event.getSeq(), now, event.getSeq(), null), now);
            }
        } else if (decision instanceof Decision.MoveCursor move) {
            forwardUpdate(new UserUpdate(cmd.getActor().getUser(), cmd.getChannel(), UserUpdateKind.READ, null, move.upTo(),
                    now, move.head(), new CommandRef(cmd.getCommandId(), cmd.getGatewayId(), cmd.getRequestId(),
                    cmd.getActor().getDevice())), now);
        } else if (decision instanceof Decision.Duplicate dup) {
            result(cmd, now, new Duplicate(dup.original().getSeq(), dup.original().getEventId(), dup.original().getMessageId()));
        } else if (decision instanceof Decision.Unchanged unchanged) {
            result(cmd, now, new Unchanged(unchanged.code(), unchanged.head()));
        } else if (decision instanceof Decision.Rejected rejected) {
            result(cmd, now, new Rejected(rejected.code().wire(), rejected.message()));
        }
    }

    private void forwardUpdate(UserUpdate update, long now) {
        context.forward(new Record<String, Object>(update.getUser(), update, now));
    }

    private void deadLetter(Record<byte[], byte[]> raw, String key, DeadLetters.Stage stage, RuntimeException e) {
        context.forward(new Record<String, Object>(key, deadLetters.letter(context, raw.timestamp(), raw.key(), raw.value(), stage, e),
                raw.timestamp()));
    }

    private void result(CommandEnvelope cmd, long now, Object outcome) {
        context.forward(new Record<String, Object>(cmd.getGatewayId(), CommandResults.of(cmd.getCommandId(), cmd.getGatewayId(),
                cmd.getRequestId(), cmd.getChannel(), cmd.getActor(), cmd.getTimestamp(), outcome), now));
    }
}
