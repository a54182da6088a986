package dev.parley.topology.projection;

import dev.parley.avro.Role;
import dev.parley.avro.event.ChannelCreated;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.event.MemberJoined;
import dev.parley.avro.event.MemberLeft;
import dev.parley.topology.state.MemberState;
import dev.parley.topology.state.StateSerde;
import dev.parley.topology.state.StoreKeys;
import dev.parley.topology.state.StoreNames;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Read side, keyed by user: which channels each user belongs to (store user-channels, key (user, channel)). */
public final class UserChannelsProjector implements Processor<String, LoggedEvent, Void, Void> {

    private KeyValueStore<Bytes, byte[]> userChannels;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.userChannels = context.getStateStore(StoreNames.USER_CHANNELS);
    }

    @Override
    public void process(Record<String, LoggedEvent> record) {
        ChannelEvent e = record.value().event();
        String user = record.key();
        Bytes key = StoreKeys.pair(user, e.getChannel());
        long ts = e.getTimestamp().toEpochMilli();
        Object p = e.getPayload();
        if (p instanceof ChannelCreated created) {
            boolean owner = !created.getDirect() && user.equals(e.getActor().getUser());
            userChannels.put(key, StateSerde.MEMBER.toBytes(new MemberState((owner ? Role.OWNER : Role.MEMBER).name(), e.getSeq(), ts, 0L)));
        } else if (p instanceof MemberJoined joined) {
            userChannels.put(key, StateSerde.MEMBER.toBytes(new MemberState(joined.getRole().name(), e.getSeq(), ts, 0L)));
        } else if (p instanceof MemberLeft) {
            userChannels.delete(key);
        }
    }
}
