package dev.parley.topology.rebuild;

import dev.parley.api.events.Memberships;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.event.ReadCursorMoved;
import dev.parley.topology.channel.ChannelFold;
import dev.parley.topology.channel.ChannelStore;
import dev.parley.topology.state.ChannelMeta;
import dev.parley.topology.state.StoreNames;
import dev.parley.topology.state.UserUpdate;
import dev.parley.topology.state.UserUpdateKind;
import java.util.Optional;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a channel's state from its log: every event goes through the same {@link ChannelFold} the channel
 * processor uses, and the same membership rule feeds the user sub-topology. Read cursors of old logs (READ
 * events) are handed to the user state as cursor moves (max, never back), with no result to deliver.
 */
final class RebuildProcessor implements Processor<byte[], byte[], String, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(RebuildProcessor.class);

    private final Deserializer<ChannelEvent> events;
    private ProcessorContext<String, Object> context;
    private ChannelStore store;
    private ChannelFold fold;

    RebuildProcessor(Deserializer<ChannelEvent> events) {
        this.events = events;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.store = new ChannelStore(context.getStateStore(StoreNames.CHANNEL_STATE), events);
        this.fold = new ChannelFold(store, context.getStateStore(StoreNames.DEDUPE));
    }

    @Override
    public void process(Record<byte[], byte[]> raw) {
        ChannelEvent e;
        try {
            e = raw.value() == null ? null : events.deserialize(context.recordMetadata().map(RecordMetadata::topic).orElse(""), raw.value());
        } catch (RuntimeException ex) {
            e = null;
        }
        if (e == null) {
            LOG.warn("skipping a log record that is not an event at {}", context.recordMetadata().map(Object::toString).orElse("?"));
            return;
        }
        Optional<ChannelMeta> meta = store.meta(e.getChannel());
        if (meta.isPresent() && e.getSeq() <= meta.get().getHead()) {
            return; // applied already
        }
        long ts = raw.timestamp();
        fold.apply(e, raw.value(), meta.orElse(null));
        for (Memberships.Change c : Memberships.of(e)) {
            forward(new UserUpdate(c.user(), e.getChannel(), c.joined() ? UserUpdateKind.JOINED : UserUpdateKind.LEFT,
                    c.joined() ? c.role().name() : null, e.getSeq(), ts, e.getSeq(), null), ts);
        }
        if (e.getPayload() instanceof ReadCursorMoved read) {
            forward(new UserUpdate(e.getActor().getUser(), e.getChannel(), UserUpdateKind.READ, null, read.getSeq(), ts, e.getSeq(), null), ts);
        }
    }

    private void forward(UserUpdate u, long ts) {
        context.forward(new Record<String, Object>(u.getUser(), u, ts));
    }
}
