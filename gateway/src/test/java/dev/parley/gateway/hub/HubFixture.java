package dev.parley.gateway.hub;

import dev.parley.avro.Actor;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.event.EventKind;
import dev.parley.avro.event.MessagePosted;
import dev.parley.gateway.auth.Principal;
import java.time.Instant;
import java.util.function.Consumer;

/** What the hub tests share: one channel's events with consecutive seqs, and connections registered with a hub. */
final class HubFixture {

    private final String channel;
    private long seq;

    HubFixture(String channel) {
        this.channel = channel;
    }

    /** The seq of the last event made. */
    long seq() {
        return seq;
    }

    /** The next event gets {@code last + 1}: to make an event again, as a repeated delivery would bring it. */
    void rewindTo(long last) {
        seq = last;
    }

    ChannelEvent next(String user, Object payload, EventKind kind) {
        seq++;
        return ChannelEvent.newBuilder().setChannel(channel).setSeq(seq).setEventId("e" + seq).setMessageId(null).setKind(kind)
                .setActor(new Actor(user, "d")).setTimestamp(Instant.ofEpochMilli(seq)).setPayload(payload).build();
    }

    /** A message by alice, text {@code m<seq>}. */
    ChannelEvent message() {
        return message("alice");
    }

    /** A message by {@code user}, text {@code m<seq>}. */
    ChannelEvent message(String user) {
        return next(user, MessagePosted.newBuilder().setText("m" + (seq + 1)).build(), EventKind.MESSAGE);
    }

    /** An authenticated connection of {@code user} (device d), set up by {@code setUp} and registered with the hub. */
    static ClientSession connect(Hub hub, String user, HubTest.Recorder out, Consumer<ClientSession> setUp) {
        ClientSession s = new ClientSession(user + "-" + System.nanoTime(), out, 1_000_000, SessionStats.NONE);
        s.authenticate(new Principal(user, Instant.now().plusSeconds(3600)), "d");
        setUp.accept(s);
        hub.register(s);
        return s;
    }
}
