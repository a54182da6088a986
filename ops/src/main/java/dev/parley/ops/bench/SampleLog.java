package dev.parley.ops.bench;

import dev.parley.avro.Actor;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.event.EventKind;
import dev.parley.avro.event.MessagePosted;
import dev.parley.schemas.serde.ParleyAvroSerde;
import dev.parley.topology.sequencer.Ids;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A log of message events shaped like the ones the topology commits in W1 (the bench's text, ids from {@link Ids},
 * a client key and a command UUID), spread round robin over channels with gap-free seqs, and its Avro encoding by
 * Parley's own serde: the input of {@link LogTailCost}.
 */
final class SampleLog {

    static final String TOPIC = "parley.log";

    private SampleLog() {
    }

    static List<ChannelEvent> messages(int events, int channels, String text) {
        long[] seqs = new long[channels];
        long t0 = 1_764_460_800_000L;
        List<ChannelEvent> out = new ArrayList<>(events);
        for (int i = 0; i < events; i++) {
            int c = i % channels;
            String channel = "room-" + c;
            long seq = ++seqs[c];
            long ts = t0 + i;
            out.add(ChannelEvent.newBuilder()
                    .setChannel(channel)
                    .setSeq(seq)
                    .setEventId(Ids.eventId(channel, seq, ts))
                    .setMessageId(Ids.messageId(channel, seq, ts))
                    .setKind(EventKind.MESSAGE)
                    .setActor(new Actor("user-" + (i % (2 * channels)), "device-1"))
                    .setTimestamp(Instant.ofEpochMilli(ts))
                    .setIdempotencyKey("w1-" + i)
                    .setCommandId(new UUID(c, i).toString())
                    .setPayload(MessagePosted.newBuilder().setText(text).build())
                    .build());
        }
        return out;
    }

    /** The gateway's value serde for the log, on an in-memory registry (ids are cached after the first lookup). */
    static ParleyAvroSerde<ChannelEvent> serde() {
        return ParleyAvroSerde.forValue(ChannelEvent.class, Map.of("schema.registry.url", "mock://log-tail-cost"));
    }

    static List<byte[]> encode(ParleyAvroSerde<ChannelEvent> serde, List<ChannelEvent> events) {
        List<byte[]> out = new ArrayList<>(events.size());
        for (ChannelEvent e : events) {
            out.add(serde.serializer().serialize(TOPIC, e));
        }
        return out;
    }
}
