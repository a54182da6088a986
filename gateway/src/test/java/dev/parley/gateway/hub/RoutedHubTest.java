package dev.parley.gateway.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.avro.Role;
import dev.parley.avro.Visibility;
import dev.parley.avro.event.ChannelCreated;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.event.EventKind;
import dev.parley.avro.event.MemberJoined;
import dev.parley.avro.event.MemberLeft;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hub in routed fan-out: it tells who follows a channel (first and last local follower), and a route that starts
 * at a head brings every stream below it up to that head, since the events committed before the route started never
 * come live. Repeated deliveries are dropped before they reach the tables.
 */
class RoutedHubTest {

    /** What the hub told about following, in order. */
    static final class Following implements ChannelFollowing {
        final List<String> told = new ArrayList<>();

        @Override
        public synchronized void first(String channel) {
            told.add("first " + channel);
        }

        @Override
        public synchronized void last(String channel) {
            told.add("last " + channel);
        }

        synchronized List<String> told() {
            return List.copyOf(told);
        }
    }

    private final ScheduledExecutorService workers = Executors.newScheduledThreadPool(2);
    private final HubTest.Store store = new HubTest.Store();
    private final Following following = new Following();
    private final Hub hub = new Hub(new CatchUp(store, workers, 4, 1_000, CatchUp.Listener.NONE),
            new RecentMemberships(Duration.ofMinutes(5), Clock.systemUTC()), DeliveryConfig.defaults(), workers,
            System::currentTimeMillis, following);
    private final HubFixture c = new HubFixture("c");

    @AfterEach
    void stop() {
        workers.shutdownNow();
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

    /** Committed while no route brought the channel here: in the store only. */
    private void committedElsewhere(int messages) {
        if (c.seq() == 0) {
            store.append(event("alice", ChannelCreated.newBuilder().setVisibility(Visibility.PUBLIC).build(), EventKind.CHANNEL_CREATED));
            messages--;
        }
        for (int i = 0; i < messages; i++) {
            store.append(message());
        }
    }

    /** Committed and routed here. */
    private ChannelEvent routed(ChannelEvent e) {
        store.append(e);
        assertThat(hub.publishOnce(e)).isTrue();
        hub.endOfRead();
        return e;
    }

    private static List<JsonNode> ofType(HubTest.Recorder r, String type) {
        return r.all().stream().filter(f -> f.path("type").asText().equals(type)).toList();
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void aStreamThatSubscribedWithAnOldHeadCatchesUpToTheRoutesHeadAndIsCaughtUpOnlyThere() {
        committedElsewhere(5);                 // 1..5: what the topology said the head was
        HubTest.Recorder bob = new HubTest.Recorder();
        store.visibleHead = 2;                 // the store holds the catch-up back until the route has started
        hub.subscribe(session("bob", bob, false), "c", 2, 5, true);
        committedElsewhere(5);                 // 6..10 before the router started the route
        hub.routeStarted("c", 10);
        store.visibleHead = Long.MAX_VALUE;

        await().atMost(Duration.ofSeconds(10)).until(() -> !ofType(bob, "caught_up").isEmpty());
        assertThat(bob.deliveredSeqs()).isEqualTo(range(3, 10));
        assertThat(ofType(bob, "caught_up")).singleElement().satisfies(f -> assertThat(f.path("seq").asLong()).isEqualTo(10));
        assertThat(bob.all().get(bob.all().size() - 1).path("type").asText()).as("caught_up after the last event").isEqualTo("caught_up");
        routed(message());                     // 11: the first event the route brings
        assertThat(bob.deliveredSeqs()).isEqualTo(range(3, 11));
        assertThat(hub.publishedHead("c")).isEqualTo(11);
    }

    @Test
    void aLiveStreamBelowTheHeadGetsTheEventsInBetweenWithoutASecondCaughtUp() {
        committedElsewhere(5);
        HubTest.Recorder bob = new HubTest.Recorder();
        hub.subscribe(session("bob", bob, false), "c", 5, 5, true);
        assertThat(ofType(bob, "caught_up")).singleElement().satisfies(f -> assertThat(f.path("seq").asLong()).isEqualTo(5));
        committedElsewhere(3);                 // 6..8
        hub.routeStarted("c", 8);
        await().atMost(Duration.ofSeconds(10)).until(() -> bob.deliveredSeqs().size() == 3);
        routed(message());                     // 9
        await().atMost(Duration.ofSeconds(10)).until(() -> bob.deliveredSeqs().size() == 4);
        assertThat(bob.deliveredSeqs()).isEqualTo(range(6, 9));
        assertThat(ofType(bob, "caught_up")).hasSize(1);
    }

    @Test
    void aRouteStartingAtOrBelowTheCursorChangesNothing() {
        committedElsewhere(10);
        HubTest.Recorder bob = new HubTest.Recorder();
        hub.subscribe(session("bob", bob, false), "c", 10, 10, true);
        hub.routeStarted("c", 7);
        hub.routeStarted("c", 10);
        routed(message());                     // 11
        assertThat(bob.all()).extracting(f -> f.path("type").asText()).containsExactly("caught_up", "event");
        assertThat(bob.deliveredSeqs()).containsExactly(11L);
        assertThat(hub.publishedHead("c")).isEqualTo(11);
    }

    @Test
    void aPullingStreamIsToldTheRoutesHeadOnce() {
        committedElsewhere(5);
        HubTest.Recorder bob = new HubTest.Recorder();
        hub.subscribe(session("bob", bob, true), "c", 3, 5, true, true);
        committedElsewhere(5);
        hub.routeStarted("c", 10);
        hub.routeStarted("c", 10);
        hub.routeStarted("c", 9);
        assertThat(ofType(bob, "head")).extracting(f -> f.path("seq").asLong()).containsExactly(5L, 10L);
        assertThat(bob.deliveredSeqs()).isEmpty();
    }

    @Test
    void theRoutesHeadIsTheTargetOfLaterSubscribes() {
        committedElsewhere(10);
        hub.routeStarted("c", 10);
        HubTest.Recorder bob = new HubTest.Recorder();
        hub.subscribe(session("bob", bob, false), "c", 4, 0, true); // the caller knew no head
        await().atMost(Duration.ofSeconds(10)).until(() -> !ofType(bob, "caught_up").isEmpty());
        assertThat(bob.deliveredSeqs()).isEqualTo(range(5, 10));
        assertThat(ofType(bob, "caught_up").get(0).path("seq").asLong()).isEqualTo(10);
    }

    @Test
    void theHubTellsWhenAChannelGainsItsFirstLocalFollowerAndLosesItsLast() {
        committedElsewhere(1);
        ClientSession bob = session("bob", new HubTest.Recorder(), false);
        ClientSession carol = session("carol", new HubTest.Recorder(), false);
        session("dave", new HubTest.Recorder(), false);
        hub.subscribe(bob, "c", 1, 1, false);
        hub.subscribe(carol, "c", 1, 1, false);
        assertThat(hub.setDelivery(bob, "c", true, -1)).isTrue();    // switching mode is no change of following
        assertThat(hub.setDelivery(bob, "c", false, -1)).isTrue();
        hub.unsubscribe(bob, "c");
        assertThat(following.told()).containsExactly("first c");
        hub.unregister(carol);                                        // the last connection closes
        assertThat(following.told()).containsExactly("first c", "last c");

        c.rewindTo(1);
        routed(event("dave", new MemberJoined("dave", Role.MEMBER, null), EventKind.MEMBER_JOINED)); // 2: a local user joins
        routed(message());                                                                        // 3
        routed(event("dave", new MemberLeft("dave"), EventKind.MEMBER_LEFT));                     // 4: and leaves
        assertThat(following.told()).containsExactly("first c", "last c", "first c", "last c");
        assertThat(hub.subscriptions("c")).isZero();
    }

    @Test
    void aRepeatedDeliveryIsDroppedSoARepeatedLeaveCannotUndoALaterJoin() {
        committedElsewhere(1);
        HubTest.Recorder dave = new HubTest.Recorder();
        session("dave", dave, false);
        ChannelEvent left = routed(event("dave", new MemberLeft("dave"), EventKind.MEMBER_LEFT)); // 2 (not a member before)
        ChannelEvent joined = routed(event("dave", new MemberJoined("dave", Role.MEMBER, null), EventKind.MEMBER_JOINED)); // 3
        // The router restarted and copies 2 and 3 again, then 4.
        assertThat(hub.publishOnce(left)).isFalse();
        assertThat(hub.publishOnce(joined)).isFalse();
        routed(message());                                                                        // 4
        assertThat(dave.deliveredSeqs()).containsExactly(3L, 4L);
        assertThat(hub.subscriptions("c")).isEqualTo(1);
    }
}
