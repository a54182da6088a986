package dev.parley.gateway.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.avro.Visibility;
import dev.parley.avro.event.ChannelCreated;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.event.EventKind;
import dev.parley.avro.event.MemberJoined;
import dev.parley.avro.event.MemberLeft;
import dev.parley.avro.Role;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Pull mode in the hub, with the time and the interval's wake-ups driven by hand: a pulling connection gets no
 * events, only the channel's head, at once when the channel was quiet and then at most once per interval; switching
 * to push catches up from the client's seq with a caught_up, switching back tells the head.
 */
class PullModeTest {

    private final ScheduledExecutorService workers = Executors.newScheduledThreadPool(2);
    private final HubTest.Store store = new HubTest.Store();
    private final BatchedDeliveryTest.ManualTimer timer = new BatchedDeliveryTest.ManualTimer();
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Hub hub = new Hub(new CatchUp(store, workers, 4, 1_000, CatchUp.Listener.NONE),
            new RecentMemberships(Duration.ofMinutes(5), Clock.systemUTC()),
            new DeliveryConfig(Duration.ofMillis(25), 256, 60_000, 100, Duration.ofSeconds(1)), timer, now::get);
    private final HubFixture c = new HubFixture("c");

    @AfterEach
    void stop() {
        workers.shutdownNow();
        timer.shutdownNow();
    }

    private ChannelEvent event(String user, Object payload, EventKind kind) {
        return c.next(user, payload, kind);
    }

    private ChannelEvent message() {
        return c.message();
    }

    private ClientSession session(String user, HubTest.Recorder out, boolean pull) {
        return HubFixture.connect(hub, user, out, s -> s.pull(pull));
    }

    private void read(int messages) {
        for (int i = 0; i < messages; i++) {
            ChannelEvent e = message();
            store.append(e);
            hub.publish(e);
        }
        hub.endOfRead();
    }

    private void commit(ChannelEvent e) {
        store.append(e);
        hub.publish(e);
        hub.endOfRead();
    }

    private void created() {
        commit(event("alice", ChannelCreated.newBuilder().setVisibility(Visibility.PUBLIC).build(), EventKind.CHANNEL_CREATED));
    }

    private static List<Long> heads(HubTest.Recorder r) {
        return r.all().stream().filter(f -> f.path("type").asText().equals("head")).map(f -> f.path("seq").asLong()).toList();
    }

    private void intervalPasses() {
        now.addAndGet(1_000);
        timer.fire();
    }

    @Test
    void aPullingConnectionGetsTheHeadAtOnceWhenQuietThenAtMostOncePerIntervalAndNoEvents() {
        created();
        HubTest.Recorder bob = new HubTest.Recorder();
        HubTest.Recorder carol = new HubTest.Recorder();
        HubTest.Recorder dave = new HubTest.Recorder();
        ClientSession b = session("bob", bob, true);
        ClientSession c = session("carol", carol, true);
        hub.subscribe(b, "c", 1, 1, false, true);
        hub.subscribe(c, "c", 1, 1, false, true);
        hub.subscribe(session("dave", dave, false), "c", 1, 1, false);

        read(1);                       // 2: quiet, told at once
        read(3);                       // 3..5: inside the interval
        read(2);                       // 6, 7
        assertThat(heads(bob)).containsExactly(2L);
        intervalPasses();
        assertThat(heads(bob)).containsExactly(2L, 7L);
        assertThat(heads(carol)).containsExactly(2L, 7L);
        assertThat(carol.shared.get(1)).as("one head frame for every pulling connection").isSameAs(bob.shared.get(1));
        assertThat(bob.deliveredSeqs()).as("no events in pull mode").isEmpty();
        assertThat(dave.deliveredSeqs()).as("a pushed connection beside them gets every event").isEqualTo(range(2, 7));

        intervalPasses();              // nothing new: the interval closes
        assertThat(heads(bob)).containsExactly(2L, 7L);
        assertThat(timer.pending()).isZero();
        read(1);                       // 8: quiet again, at once
        assertThat(heads(bob)).containsExactly(2L, 7L, 8L);
        JsonNode head = bob.all().get(bob.all().size() - 1);
        assertThat(head.path("channel").asText()).isEqualTo("c");
    }

    @Test
    void resumingInPullModeIsTheHeadOnlyAndSwitchingToPushCatchesUpFromTheClientsSeqWithCaughtUp() {
        created();
        read(9);                       // 2..10 while bob was away
        HubTest.Recorder bob = new HubTest.Recorder();
        ClientSession b = session("bob", bob, true);
        hub.subscribe(b, "c", 3, 10, true, true);
        assertThat(heads(bob)).containsExactly(10L);
        assertThat(bob.all()).as("nothing replayed, no caught_up").extracting(f -> f.path("type").asText()).containsExactly("head");

        // the client pulled up to 6 and opens the channel: push from there
        assertThat(hub.setDelivery(b, "c", false, 6)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> bob.all().stream().anyMatch(f -> f.path("type").asText().equals("caught_up")));
        read(2);                       // 11, 12 live
        assertThat(bob.deliveredSeqs()).isEqualTo(range(7, 12));
        assertThat(bob.all()).filteredOn(f -> f.path("type").asText().equals("caught_up")).singleElement()
                .satisfies(f -> assertThat(f.path("seq").asLong()).isEqualTo(10));

        // the tab goes to the background: pull again, told where the head is whenever it moves
        assertThat(hub.setDelivery(b, "c", true, -1)).isTrue();
        read(1);                       // 13
        assertThat(bob.deliveredSeqs()).isEqualTo(range(7, 12));
        assertThat(heads(bob)).containsExactly(10L, 13L);
        assertThat(hub.setDelivery(session("erin", new HubTest.Recorder(), false), "c", true, -1))
                .as("a channel the connection does not follow").isFalse();
    }

    @Test
    void aPullingJoinerIsToldFromItsJoinAndAPullingLeaverIsToldUpToItsLeaveThenNothing() {
        created();
        HubTest.Recorder bob = new HubTest.Recorder();
        session("bob", bob, true);
        read(1);                                                                   // 2: bob not a member
        commit(event("bob", new MemberJoined("bob", Role.MEMBER, null), EventKind.MEMBER_JOINED)); // 3
        assertThat(heads(bob)).containsExactly(3L);
        read(2);                                                                   // 4, 5
        commit(event("bob", new MemberLeft("bob"), EventKind.MEMBER_LEFT));       // 6
        assertThat(heads(bob)).as("the leave is told at once, whatever the interval").containsExactly(3L, 6L);
        intervalPasses();
        read(3);
        intervalPasses();
        assertThat(heads(bob)).containsExactly(3L, 6L);
        assertThat(bob.deliveredSeqs()).isEmpty();
        assertThat(hub.subscriptions("c")).isZero();
    }

    @Test
    void largeChannelsAndConnectionsThatAskArePulled() {
        ClientSession pushed = session("bob", new HubTest.Recorder(), false);
        ClientSession background = session("carol", new HubTest.Recorder(), true);
        assertThat(hub.pulls(pushed, 100)).isFalse();
        assertThat(hub.pulls(pushed, 101)).isTrue();
        assertThat(hub.pulls(background, 2)).isTrue();
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }
}
