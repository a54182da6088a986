package dev.parley.schemas.registry.server;

import dev.parley.avro.Actor;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.event.EventKind;
import dev.parley.avro.event.MessagePosted;
import java.time.Instant;

/** Sample records. */
final class TestEvents {

    private TestEvents() {
    }

    static ChannelEvent message(String channel, long seq, String text) {
        return ChannelEvent.newBuilder()
                .setChannel(channel)
                .setSeq(seq)
                .setEventId("ev-" + channel + "-" + seq)
                .setMessageId("m-" + seq)
                .setKind(EventKind.MESSAGE)
                .setActor(Actor.newBuilder().setUser("ada").setDevice("laptop").build())
                .setTimestamp(Instant.ofEpochMilli(1_764_000_000_000L + seq))
                .setIdempotencyKey("idem-" + seq)
                .setCommandId(null)
                .setPayload(MessagePosted.newBuilder().setText(text).setThreadRoot(null).build())
                .build();
    }
}
