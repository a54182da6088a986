package dev.parley.schemas.serde;

import dev.parley.avro.Actor;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.event.EventKind;
import dev.parley.avro.event.MessagePosted;
import java.time.Instant;

final class Fixtures {
    private Fixtures() {
    }

    static ChannelEvent message(String channel, long seq, String text) {
        return ChannelEvent.newBuilder()
                .setChannel(channel)
                .setSeq(seq)
                .setEventId("e-" + seq)
                .setMessageId("m-" + seq)
                .setKind(EventKind.MESSAGE)
                .setActor(new Actor("alice", "phone"))
                .setTimestamp(Instant.ofEpochMilli(1_700_000_000_000L + seq))
                .setIdempotencyKey("k-" + seq)
                .setCommandId("c-" + seq)
                .setPayload(MessagePosted.newBuilder().setText(text).build())
                .build();
    }
}
