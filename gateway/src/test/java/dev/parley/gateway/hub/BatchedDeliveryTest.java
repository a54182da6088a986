package dev.parley.gateway.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.avro.Role;
import dev.parley.avro.Visibility;
import dev.parley.avro.event.ChannelCreated;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.event.EventKind;
import dev.parley.avro.event.MemberJoined;
import dev.parley.avro.event.MemberLeft;
import dev.parley.gateway.auth.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Batched delivery in the hub, with the time and the window's wake-ups driven by hand: what goes at once, what
 * waits, what goes together, and that batched connections keep every guarantee of the per-event path.
 */
class BatchedDeliveryTest {

    /** Wake-ups the hub asked for, run when the test says. */
    static final class ManualTimer extends ScheduledThreadPoolExecutor {
        private final List<Runnable> due = new ArrayList<>();

        ManualTimer() {
            super(1);
        }

        @Override
        public synchronized ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
            due.add(task);
            return null;
        }

        void fire() {
            List<Runnable> now;
            synchronized (this) {
                now = List.copyOf(due);
                due.clear();
            }
            now.forEach(Runnable::run);
        }

        synchronized int pending() {
            return due.size();
        }
    }

    private final ScheduledExecutorService workers = Executors.newScheduledThreadPool(2);
    private final HubTest.Store store = new HubTest.Store();
    private final ManualTimer timer = new ManualTimer();
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Hub hub = new Hub(new CatchUp(store, workers, 4, 1_000, CatchUp.Listener.NONE),
            new RecentMemberships(Duration.ofMinutes(5), Clock.systemUTC()),
            new DeliveryConfig(Duration.ofMillis(25), 256, 60_000, 5_000, Duration.ofSeconds(1)), timer, now::get);
    private final HubFixture c = new HubFixture("c");

    @AfterEach
    void stop() {
        workers.shutdownNow();
        timer.shutdownNow();
    }

    private ChannelEvent event(String user, Object payload, EventKind kind) {
        return c.next(user, payload, kind);
    }

    private ChannelEvent message(String user) {
        return c.message(user);
    }

    private ClientSession session(String user, HubTest.Recorder out, boolean batches) {
        return HubFixture.connect(hub, user, out, s -> s.takeBatches(batches));
    }

    private void commit(ChannelEvent e) {
        store.append(e);
        hub.publish(e);
    }

    /** One read of the log: the events, then its end. */
    private void read(ChannelEvent... events) {
        for (ChannelEvent e : events) {
            commit(e);
        }
        hub.endOfRead();
    }

    private ChannelEvent[] messages(int n) {
        ChannelEvent[] out = new ChannelEvent[n];
        for (int i = 0; i < n; i++) {
            out[i] = message("alice");
        }
        return out;
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    /** Channel c created (seq 1) and followed from seq 1 by the given connections. */
    private void channelFollowedBy(ClientSession... sessions) {
        read(event("alice", ChannelCreated.newBuilder().setVisibility(Visibility.PUBLIC).build(), EventKind.CHANNEL_CREATED));
        for (ClientSession s : sessions) {
            hub.subscribe(s, "c", 1, 1, false);
        }
    }

    @Test
    void aBurstInOneReadIsOneFrameRenderedOnceWhileOldConnectionsGetOneFramePerEvent() {
        HubTest.Recorder bob = new HubTest.Recorder();
        HubTest.Recorder carol = new HubTest.Recorder();
        HubTest.Recorder old = new HubTest.Recorder();
        channelFollowedBy(session("bob", bob, true), session("carol", carol, true), session("dave", old, false));

        read(messages(5));

        assertThat(bob.eventFrames()).containsExactly(range(2, 6));
        assertThat(carol.eventFrames()).containsExactly(range(2, 6));
        assertThat(bob.shared).hasSize(1);
        assertThat(carol.shared.get(0)).as("the same rendered bytes for every batched connection").isSameAs(bob.shared.get(0));
        assertThat(old.eventFrames()).containsExactly(List.of(2L), List.of(3L), List.of(4L), List.of(5L), List.of(6L));
        assertThat(old.all()).allMatch(f -> f.path("type").asText().equals("event"));
    }

    @Test
    void aLoneEventOfAQuietChannelGoesAtOnceAndEventsInsideTheWindowWaitForItsEnd() {
        HubTest.Recorder bob = new HubTest.Recorder();
        channelFollowedBy(session("bob", bob, true));

        read(message("alice"));                                     // 2: quiet channel, goes with its read
        assertThat(bob.eventFrames()).containsExactly(List.of(2L));
        assertThat(bob.all().get(0).path("type").asText()).isEqualTo("event");

        read(messages(2));                                          // 3, 4: the window is open
        read(messages(1));                                          // 5
        assertThat(bob.deliveredSeqs()).as("nothing before the window ends").containsExactly(2L);

        now.addAndGet(25);
        timer.fire();
        assertThat(bob.eventFrames()).containsExactly(List.of(2L), range(3, 5));

        now.addAndGet(25);
        timer.fire();                                               // nothing waited: the window closes
        assertThat(timer.pending()).isZero();
        read(message("alice"));                                     // 6: quiet again, at once
        assertThat(bob.eventFrames()).containsExactly(List.of(2L), range(3, 5), List.of(6L));
    }

    @Test
    void aJoinSendsWhatWaitsToTheOldMembersFirstAndTheJoinerGetsEverythingFromItsJoinOn() {
        HubTest.Recorder bob = new HubTest.Recorder();
        HubTest.Recorder carol = new HubTest.Recorder();
        channelFollowedBy(session("bob", bob, true));
        session("carol", carol, true);
        read(message("alice"));                                                            // 2 at once
        read(messages(2));                                                                 // 3, 4 wait
        read(event("carol", new MemberJoined("carol", Role.MEMBER, null), EventKind.MEMBER_JOINED)); // 5
        read(messages(2));                                                                 // 6, 7 wait

        assertThat(bob.eventFrames()).containsExactly(List.of(2L), range(3, 4), List.of(5L));
        assertThat(carol.eventFrames()).containsExactly(List.of(5L));
        now.addAndGet(25);
        timer.fire();
        assertThat(bob.deliveredSeqs()).isEqualTo(range(2, 7));
        assertThat(carol.deliveredSeqs()).as("nothing from before the join").isEqualTo(range(5, 7));
        assertThat(carol.shared.get(carol.shared.size() - 1)).isSameAs(bob.shared.get(bob.shared.size() - 1));
    }

    @Test
    void aLeaverGetsWhatWaitedAndItsLeaveThenNothingMore() {
        HubTest.Recorder bob = new HubTest.Recorder();
        channelFollowedBy(session("bob", bob, true));
        read(message("alice"));                                                  // 2
        read(messages(2));                                                       // 3, 4 wait
        read(event("bob", new MemberLeft("bob"), EventKind.MEMBER_LEFT));        // 5
        read(messages(3));                                                       // 6..8
        now.addAndGet(25);
        timer.fire();
        now.addAndGet(25);
        timer.fire();
        assertThat(bob.deliveredSeqs()).isEqualTo(range(2, 5));
        assertThat(hub.subscriptions("c")).isZero();
    }

    @Test
    void aBatchedConnectionResumingFromAnOlderSeqGetsTheGapThenTheBatchesWithoutRepeats() {
        read(event("alice", ChannelCreated.newBuilder().setVisibility(Visibility.PUBLIC).build(), EventKind.CHANNEL_CREATED));
        for (int i = 0; i < 20; i++) {
            store.append(message("alice"));                          // 2..21 while bob was away
        }
        HubTest.Recorder bob = new HubTest.Recorder();
        store.visibleHead = 10;                                      // the read side trails
        hub.subscribe(session("bob", bob, true), "c", 3, store.log.size(), true);
        read(messages(3));                                           // 22..24 live, racing the catch-up
        read(messages(2));                                           // 25, 26 wait for the window
        store.visibleHead = Long.MAX_VALUE;
        now.addAndGet(25);
        timer.fire();
        await().atMost(Duration.ofSeconds(10)).until(() -> bob.deliveredSeqs().size() >= 23);
        assertThat(bob.deliveredSeqs()).isEqualTo(range(4, 26));
        assertThat(bob.all()).filteredOn(f -> f.path("type").asText().equals("caught_up")).hasSize(1);
    }

    @Test
    void aBatchedConnectionThatStopsReadingIsToldToResyncLikeAnyOther() {
        HubTest.Recorder slow = new HubTest.Recorder() ;
        ClientSession s = new ClientSession("slow", new Outbound() {
            @Override
            public void send(String text, Runnable written, java.util.function.Consumer<Throwable> failed) {
                slow.send(text, () -> { }, failed); // never written: the queue only grows
            }

            @Override
            public void close(int code, String reason) {
                slow.close(code, reason);
            }

            @Override
            public boolean isOpen() {
                return true;
            }
        }, 2_000, SessionStats.NONE);
        s.authenticate(new Principal("erin", Instant.now().plusSeconds(3600)), "d");
        s.takeBatches(true);
        hub.register(s);
        channelFollowedBy(s);
        for (int i = 0; i < 10; i++) {
            read(messages(5));
            now.addAndGet(25);
            timer.fire();
        }
        assertThat(slow.all()).last().satisfies(f -> {
            assertThat(f.path("type").asText()).isEqualTo("resync");
            assertThat(f.path("reason").asText()).isEqualTo("slow_consumer");
        });
        assertThat(s.isOpen()).isFalse();
    }
}
