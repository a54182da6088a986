package dev.parley.topology.user;

import dev.parley.avro.Actor;
import dev.parley.avro.result.CursorMoved;
import dev.parley.avro.result.Rejected;
import dev.parley.avro.result.Unchanged;
import dev.parley.avro.user.ReadCursorSet;
import dev.parley.avro.user.UserEvent;
import dev.parley.avro.user.UserEventKind;
import dev.parley.topology.channel.CommandResults;
import dev.parley.topology.sequencer.ErrorCode;
import dev.parley.topology.state.CommandRef;
import dev.parley.topology.state.StateSerde;
import dev.parley.topology.state.StoreKeys;
import dev.parley.topology.state.StoreNames;
import dev.parley.topology.state.UserChannelState;
import dev.parley.topology.state.UserUpdate;
import java.time.Instant;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The user sub-topology (input: the {@code user-updates} repartition topic, keyed by user): keeps each user's
 * memberships and read cursors in {@code user-state}, by the rules of {@link ReadCursors}. A read cursor that moves is written together with the
 * command's result (so the ack follows the commit of the cursor) and a {@link UserEvent} for the user's own
 * devices. Values forwarded: {@link dev.parley.avro.result.CommandResult} (key: gateway id), {@link UserEvent}
 * (key: user id).
 */
public final class UserProcessor implements Processor<String, UserUpdate, String, Object> {

    /** {@code unchanged} code of a read cursor that would not move forward. */
    public static final String NOT_ADVANCED = "not_advanced";

    private ProcessorContext<String, Object> context;
    private KeyValueStore<Bytes, byte[]> state;

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.state = context.getStateStore(StoreNames.USER_STATE);
    }

    @Override
    public void process(Record<String, UserUpdate> record) {
        UserUpdate u = record.value();
        Bytes key = StoreKeys.userChannel(u.getUser(), u.getChannel());
        UserChannelState current = StateSerde.USER_CHANNEL.fromBytes(state.get(key));
        switch (u.getKind()) {
            case JOINED -> state.put(key, StateSerde.USER_CHANNEL.toBytes(ReadCursors.joined(current, u.getRole(), u.getSeq(), u.getAt())));
            case LEFT -> {
                UserChannelState left = ReadCursors.left(current);
                if (left != null) {
                    state.put(key, StateSerde.USER_CHANNEL.toBytes(left));
                }
            }
            case READ -> read(u, key, current, record.timestamp());
        }
    }

    private void read(UserUpdate u, Bytes key, UserChannelState current, long now) {
        ReadCursors.Move move = ReadCursors.move(current, u.getSeq());
        if (move instanceof ReadCursors.Move.Moved moved) {
            state.put(key, StateSerde.USER_CHANNEL.toBytes(moved.state()));
        }
        CommandRef cmd = u.getCommand();
        if (cmd == null) {
            return; // a cursor migrated from an old READ event of the log: nobody waits for it
        }
        Object outcome;
        if (move instanceof ReadCursors.Move.Moved) {
            outcome = new CursorMoved(u.getSeq());
            context.forward(new Record<String, Object>(u.getUser(), UserEvent.newBuilder()
                    .setUser(u.getUser())
                    .setChannel(u.getChannel())
                    .setKind(UserEventKind.READ)
                    .setTimestamp(Instant.ofEpochMilli(u.getAt()))
                    .setDevice(cmd.getDevice())
                    .setCommandId(cmd.getCommandId())
                    .setPayload(new ReadCursorSet(u.getSeq()))
                    .build(), now));
        } else if (move instanceof ReadCursors.Move.NotAdvanced) {
            outcome = new Unchanged(NOT_ADVANCED, u.getHead());
        } else {
            outcome = new Rejected(ErrorCode.NOT_A_MEMBER.wire(), "user '" + u.getUser() + "' is not a member of '" + u.getChannel() + "'");
        }
        context.forward(new Record<String, Object>(cmd.getGatewayId(), CommandResults.of(cmd.getCommandId(), cmd.getGatewayId(),
                cmd.getRequestId(), u.getChannel(), new Actor(u.getUser(), cmd.getDevice()), Instant.ofEpochMilli(u.getAt()), outcome), now));
    }
}
