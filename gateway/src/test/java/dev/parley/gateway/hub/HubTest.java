package dev.parley.gateway.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.avro.Actor;
import dev.parley.avro.Role;
import dev.parley.avro.Visibility;
import dev.parley.avro.event.ChannelCreated;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.event.EventKind;
import dev.parley.avro.event.MemberJoined;
import dev.parley.avro.event.MemberLeft;
import dev.parley.avro.event.MessagePosted;
import dev.parley.avro.event.ReadCursorMoved;
import dev.parley.avro.user.ReadCursorSet;
import dev.parley.avro.user.UserEvent;
import dev.parley.avro.user.UserEventKind;
import dev.parley.gateway.auth.Principal;
import dev.parley.api.events.EventJson;
import dev.parley.api.query.ChannelQueries;
import dev.parley.api.query.ChannelSummary;
import dev.parley.api.query.EventPage;
import dev.parley.api.query.MemberEntry;
import dev.parley.api.query.MemberPage;
import dev.parley.api.query.MessagePage;
import dev.parley.api.query.ThreadPage;
import dev.parley.api.query.UserChannels;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hub and its per-connection streams on their own: the gap-free, no-repeat delivery logic, with an
 * in-memory stand-in for the topology's read store (whose lag the tests control).
 */
class HubTest {

    private final ScheduledExecutorService workers = Executors.newScheduledThreadPool(2);
    private final Store store = new Store();
    private final Hub hub = new Hub(new CatchUp(store, workers, 4, 1_000, CatchUp.Listener.NONE),
            new RecentMemberships(Duration.ofMinutes(5), Clock.systemUTC()), DeliveryConfig.defaults(), workers,
            System::currentTimeMillis);

    @AfterEach
    void stop() {
        workers.shutdownNow();
    }

    /** The committed log of one channel as the read side knows it; {@code visibleHead} simulates its lag. */
    static final class Store implements ChannelQueries {
        final List<ChannelEvent> log = new ArrayList<>();
        volatile long visibleHead = Long.MAX_VALUE;

        synchronized ChannelEvent append(ChannelEvent e) {
            log.add(e);
            return e;
        }

        @Override
        public synchronized EventPage eventsAfter(String channel, long after, int limit, long upTo) {
            List<ObjectNode> page = new ArrayList<>();
            long head = Math.min(upTo, Math.min(visibleHead, log.size()));
            boolean more = false;
            for (ChannelEvent e : log) {
                if (e.getSeq() > after && e.getSeq() <= head) {
                    if (page.size() == limit) {
                        more = true;
                        break;
                    }
                    page.add(EventJson.render(e));
                }
            }
            return new EventPage(channel, page, head, more, false);
        }

        @Override
        public EventPage eventsBefore(String channel, long before, int limit, long upTo) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<ChannelSummary> channel(String channel, long upTo) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, ChannelSummary> channels(String user, Map<String, Long> readCursors) {
            throw new UnsupportedOperationException();
        }

        @Override
        public MessagePage messagesBefore(String channel, long before, int limit, long upTo) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<ThreadPage> thread(String channel, long root, long afterReply, int limit, long upTo) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<MemberEntry> member(String channel, String user) {
            throw new UnsupportedOperationException();
        }

        @Override
        public MemberPage members(String channel, String afterUser, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public UserChannels channelsOf(String user) {
            throw new UnsupportedOperationException();
        }

        @Override
        public dev.parley.api.query.CommonChannels commonChannels(String user, java.util.Collection<String> others) {
            throw new UnsupportedOperationException();
        }

        @Override
        public dev.parley.api.query.UserMemberships memberships(java.util.Collection<String> users, java.util.Collection<String> channels) {
            throw new UnsupportedOperationException();
        }
    }

    /** A connection whose frames are recorded. */
    static final class Recorder implements Outbound {
        final List<JsonNode> frames = new ArrayList<>();
        /** The shared frames among them, as sent (to tell one rendering for all from one per connection). */
        final List<SharedFrame> shared = new ArrayList<>();

        @Override
        public synchronized void send(SharedFrame frame, Runnable written, Consumer<Throwable> failed) {
            shared.add(frame);
            send(frame.text(), written, failed);
        }

        @Override
        public synchronized void send(String text, Runnable written, Consumer<Throwable> failed) {
            try {
                frames.add(Frames.JSON.readTree(text));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            written.run();
        }

        @Override
        public void close(int code, String reason) {
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        synchronized List<Long> seqs() {
            return frames.stream().filter(f -> f.path("type").asText().equals("event")).map(f -> f.path("seq").asLong()).toList();
        }

        /** The seqs of every event received, in batches or alone, in arrival order. */
        synchronized List<Long> deliveredSeqs() {
            List<Long> out = new ArrayList<>();
            for (JsonNode f : frames) {
                if (f.path("type").asText().equals("event")) {
                    out.add(f.path("seq").asLong());
                } else if (f.path("type").asText().equals("events")) {
                    f.path("events").forEach(e -> out.add(e.path("seq").asLong()));
                }
            }
            return out;
        }

        /** Each frame that carried events, as its list of seqs. */
        synchronized List<List<Long>> eventFrames() {
            List<List<Long>> out = new ArrayList<>();
            for (JsonNode f : frames) {
                if (f.path("type").asText().equals("event")) {
                    out.add(List.of(f.path("seq").asLong()));
                } else if (f.path("type").asText().equals("events")) {
                    List<Long> seqs = new ArrayList<>();
                    f.path("events").forEach(e -> seqs.add(e.path("seq").asLong()));
                    out.add(seqs);
                }
            }
            return out;
        }

        synchronized List<JsonNode> all() {
            return List.copyOf(frames);
        }
    }

    private long seq;

    private ChannelEvent event(String user, Object payload, EventKind kind) {
        seq++;
        return ChannelEvent.newBuilder().setChannel("c").setSeq(seq).setEventId("e" + seq).setMessageId(null).setKind(kind)
                .setActor(new Actor(user, "d")).setTimestamp(Instant.ofEpochMilli(seq)).setPayload(payload).build();
    }

    private ChannelEvent message(String user) {
        return event(user, MessagePosted.newBuilder().setText("m" + (seq + 1)).build(), EventKind.MESSAGE);
    }

    private ClientSession session(String user, Recorder out) {
        ClientSession s = new ClientSession(user + "-" + System.nanoTime(), out, 10_000, SessionStats.NONE);
        s.authenticate(new Principal(user, Instant.now().plusSeconds(3600)), "d");
        hub.register(s);
        return s;
    }

    /** Appends to the log and publishes it live, as the log tail would. */
    private void commit(ChannelEvent e) {
        store.append(e);
        hub.publish(e);
    }

    @Test
    void aResumingConnectionGetsTheGapFromTheStoreThenLiveEventsWithoutRepeats() {
        commit(event("alice", ChannelCreated.newBuilder().setVisibility(Visibility.PUBLIC).build(), EventKind.CHANNEL_CREATED));
        for (int i = 0; i < 20; i++) {
            store.append(message("alice")); // committed while bob was away
        }
        Recorder out = new Recorder();
        ClientSession bob = session("bob", out);
        hub.subscribe(bob, "c", 3, store.log.size(), true);
        for (int i = 0; i < 5; i++) {
            commit(message("alice")); // live events racing the catch-up
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> out.seqs().size() == 23);
        assertThat(out.seqs()).isEqualTo(LongStream.rangeClosed(4, 26).boxed().toList());
        JsonNode caughtUp = out.all().stream().filter(f -> f.path("type").asText().equals("caught_up")).findFirst().orElseThrow();
        assertThat(caughtUp.path("seq").asLong()).isBetween(21L, 26L);
        commit(message("alice"));
        await().atMost(Duration.ofSeconds(10)).until(() -> out.seqs().size() == 24);
        assertThat(out.seqs().get(23)).isEqualTo(27);
    }

    @Test
    void whenTheStoreTrailsTheLogTheStreamWaitsForItInsteadOfSkipping() {
        commit(event("alice", ChannelCreated.newBuilder().setVisibility(Visibility.PUBLIC).build(), EventKind.CHANNEL_CREATED));
        Recorder out = new Recorder();
        ClientSession bob = session("bob", out);
        hub.subscribe(bob, "c", 1, 1, false);
        store.visibleHead = 1; // the read side has not projected anything past seq 1 yet
        store.append(message("alice"));
        store.append(message("alice"));
        commit(message("alice")); // seq 4 arrives live: a gap of 2..3 that the store cannot fill yet
        // Nothing out of order while the store lags: no event at all for a while.
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> out.seqs().isEmpty());
        store.visibleHead = Long.MAX_VALUE;
        await().atMost(Duration.ofSeconds(10)).until(() -> out.seqs().size() == 3);
        assertThat(out.seqs()).containsExactly(2L, 3L, 4L);
    }

    @Test
    void joinsSubscribeTheJoinersConnectionsAndLeavesStopDeliveryAfterTheLeaveEvent() {
        commit(event("alice", ChannelCreated.newBuilder().setVisibility(Visibility.PUBLIC).build(), EventKind.CHANNEL_CREATED));
        Recorder phone = new Recorder();
        Recorder laptop = new Recorder();
        session("bob", phone);
        session("bob", laptop);
        commit(message("alice"));                                                   // 2: bob is not a member yet
        commit(event("bob", new MemberJoined("bob", Role.MEMBER, null), EventKind.MEMBER_JOINED)); // 3
        commit(message("alice"));                                                   // 4
        commit(event("bob", new MemberLeft("bob"), EventKind.MEMBER_LEFT));         // 5
        commit(message("alice"));                                                   // 6
        for (Recorder r : List.of(phone, laptop)) {
            assertThat(r.seqs()).containsExactly(3L, 4L, 5L);
        }
        assertThat(hub.subscriptions("c")).isZero();
    }

    @Test
    void readCursorsFromTheUserEventsReachOnlyTheirOwnersConnections() {
        commit(event("alice", ChannelCreated.newBuilder().setVisibility(Visibility.PUBLIC).build(), EventKind.CHANNEL_CREATED));
        Recorder alice = new Recorder();
        Recorder bobPhone = new Recorder();
        Recorder bobLaptop = new Recorder();
        hub.subscribe(session("alice", alice), "c", 1, 1, false);
        hub.subscribe(session("bob", bobPhone), "c", 1, 1, false);
        session("bob", bobLaptop);
        hub.publish(UserEvent.newBuilder().setUser("bob").setChannel("c").setKind(UserEventKind.READ)
                .setTimestamp(Instant.now()).setPayload(new ReadCursorSet(1L)).build());
        commit(message("alice"));
        for (Recorder bob : List.of(bobPhone, bobLaptop)) {
            assertThat(bob.all().get(0).path("type").asText()).isEqualTo("read");
            assertThat(bob.all().get(0).path("channel").asText()).isEqualTo("c");
            assertThat(bob.all().get(0).path("upTo").asLong()).isEqualTo(1);
        }
        assertThat(alice.all()).as("nothing about bob's cursor, and no seq taken").extracting(f -> f.path("type").asText())
                .containsExactly("event");
        assertThat(alice.seqs()).containsExactly(2L);
    }

    /** Logs written before read cursors became user state hold READ events: they keep their seq. */
    @Test
    void oldReadEventsReachOnlyTheirOwnersDevicesOthersSeeAPlaceholderWithTheSameSeq() {
        commit(event("alice", ChannelCreated.newBuilder().setVisibility(Visibility.PUBLIC).build(), EventKind.CHANNEL_CREATED));
        Recorder alice = new Recorder();
        Recorder bob = new Recorder();
        hub.subscribe(session("alice", alice), "c", 1, 1, false);
        hub.subscribe(session("bob", bob), "c", 1, 1, false);
        commit(event("bob", new ReadCursorMoved(1L), EventKind.READ));
        commit(message("alice"));
        assertThat(bob.all().get(0).path("kind").asText()).isEqualTo("read");
        assertThat(bob.all().get(0).path("upTo").asLong()).isEqualTo(1);
        assertThat(alice.all().get(0).path("kind").asText()).isEqualTo("hidden");
        assertThat(alice.all().get(0).has("upTo")).isFalse();
        assertThat(alice.seqs()).containsExactly(2L, 3L);
    }
}
