package dev.parley.notifier.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.avro.ChannelNotificationLevel;
import dev.parley.avro.NotificationLevel;
import dev.parley.avro.NotificationPreferences;
import dev.parley.avro.Visibility;
import dev.parley.avro.user.UserEventKind;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.notify.Notification;
import dev.parley.avro.user.UserEvent;
import dev.parley.avro.notify.NotificationItem;
import dev.parley.avro.notify.NotificationReason;
import dev.parley.notifier.digest.NotificationIds;
import dev.parley.notifier.presence.Presence;
import dev.parley.notifier.presence.PresenceView;
import dev.parley.schemas.serde.ParleyAvroSerde;
import dev.parley.schemas.topics.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The notifier's whole Streams application on TopologyTestDriver: wall clock and presence under the test's control. */
class NotifierTopologyTest {

    static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    static final Duration DELAY = Duration.ofSeconds(30);
    static final Duration THREAD_RETENTION = Duration.ofHours(1);

    @TempDir
    Path stateDir;

    final NotifierTopicNames topics = new NotifierTopicNames(new TopicNames("parley."), "parley-notifier");
    final Map<String, Presence> online = new ConcurrentHashMap<>();
    final LogEvents events = new LogEvents();
    TopologyTestDriver driver;
    TestInputTopic<String, ChannelEvent> log;
    TestInputTopic<String, UserEvent> userEvents;
    TestOutputTopic<String, Notification> notifications;

    @BeforeEach
    void start() {
        Map<String, Object> serde = Map.of("schema.registry.url", "mock://" + UUID.randomUUID());
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "parley-notifier");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        PresenceView presence = user -> online.getOrDefault(user, Presence.NEVER_SEEN);
        driver = new TopologyTestDriver(NotifierTopology.build(topics, 4, serde, DigestSettings.of(DELAY),
                Duration.ofHours(1).toMillis(), THREAD_RETENTION, presence, NotifierCounters.NONE), props, T0);
        log = driver.createInputTopic(topics.log(), Serdes.String().serializer(),
                ParleyAvroSerde.forValue(ChannelEvent.class, serde).serializer());
        userEvents = driver.createInputTopic(topics.userEvents(), Serdes.String().serializer(),
                ParleyAvroSerde.forValue(UserEvent.class, serde).serializer());
        notifications = driver.createOutputTopic(topics.notifications(), Serdes.String().deserializer(),
                ParleyAvroSerde.forValue(Notification.class, serde).deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    void pipe(ChannelEvent e) {
        log.pipeInput(e.getChannel(), e, e.getTimestamp());
    }

    void pipe(UserEvent e) {
        userEvents.pipeInput(e.getUser(), e, e.getTimestamp());
    }

    /** Preferences as the topology's user sub-topology announces them: the whole result of a change. */
    static UserEvent preferences(String user, String channel, NotificationLevel level,
                                 Map<String, ChannelNotificationLevel> channels, Instant at) {
        return UserEvent.newBuilder().setUser(user).setChannel(channel).setKind(UserEventKind.NOTIFICATION_PREFERENCES)
                .setTimestamp(at).setDevice("d1").setCommandId("c-" + user).setPayload(new NotificationPreferences(level, channels))
                .build();
    }

    Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    void advance(Duration d) {
        driver.advanceWallClockTime(d);
    }

    @Test
    void anOfflineMemberMentionedGetsOneNotificationOnceTheDelayHasPassed() {
        pipe(events.created("general", "alice", Visibility.PUBLIC, at(0)));
        pipe(events.joined("general", "bob", at(0)));
        ChannelEvent mention = events.message("general", "alice", at(1), "hi @bob", null, "bob");
        pipe(mention);

        advance(Duration.ofSeconds(20));
        assertThat(notifications.isEmpty()).as("nothing before the delay").isTrue();
        advance(Duration.ofSeconds(12));

        List<Notification> out = notifications.readValuesToList();
        assertThat(out).hasSize(1);
        Notification n = out.get(0);
        assertThat(n.getUser()).isEqualTo("bob");
        assertThat(n.getNotificationId()).isEqualTo(NotificationIds.of("bob", mention.getEventId()));
        assertThat(n.getCount()).isEqualTo(1);
        assertThat(n.getFirstAt()).isEqualTo(at(1));
        assertThat(n.getDueAt()).isEqualTo(at(31));
        NotificationItem item = n.getItems().get(0);
        assertThat(item.getReason()).isEqualTo(NotificationReason.MENTION);
        assertThat(item.getText()).isEqualTo("hi @bob");
        assertThat(item.getSender()).isEqualTo("alice");
        advance(Duration.ofMinutes(2));
        assertThat(notifications.isEmpty()).as("decided once").isTrue();
    }

    @Test
    void aBurstBecomesOneDigestAndTheSenderIsNeverNotified() {
        String dm = "dm-alice-bob";
        pipe(events.created(dm, "alice", Visibility.PRIVATE, at(0), "bob"));
        for (int i = 1; i <= 20; i++) {
            pipe(events.message(dm, "alice", at(1).plusMillis(i * 100L), "m" + i, null));
        }

        advance(Duration.ofSeconds(35));

        List<Notification> out = notifications.readValuesToList();
        assertThat(out).extracting(Notification::getUser).containsExactly("bob");
        assertThat(out.get(0).getCount()).isEqualTo(20);
        assertThat(out.get(0).getItems()).extracting(NotificationItem::getText).containsExactly("m20", "m19", "m18", "m17", "m16");
        assertThat(out.get(0).getItems()).extracting(NotificationItem::getReason).containsOnly(NotificationReason.DIRECT);
    }

    @Test
    void readingWithinTheDelayCancelsAndOnlyUnreadMessagesAreCounted() {
        pipe(events.created("general", "alice", Visibility.PUBLIC, at(0)));
        pipe(events.joined("general", "bob", at(0)));
        pipe(events.joined("general", "carol", at(0)));
        pipe(events.message("general", "alice", at(1), "@bob @carol one", null, "bob", "carol")); // seq 4
        pipe(events.message("general", "alice", at(2), "@bob @carol two", null, "bob", "carol")); // seq 5
        pipe(events.read("general", "bob", 5, at(3)));
        pipe(events.read("general", "carol", 4, at(3)));

        advance(Duration.ofSeconds(40));

        List<Notification> out = notifications.readValuesToList();
        assertThat(out).extracting(Notification::getUser).containsExactly("carol");
        assertThat(out.get(0).getCount()).isEqualTo(1);
        assertThat(out.get(0).getItems()).extracting(NotificationItem::getSeq).containsExactly(5L);
    }

    @Test
    void aReadOfExactlyTheMentionCancelsIt() {
        pipe(events.created("general", "alice", Visibility.PUBLIC, at(0)));
        for (String u : List.of("bob", "carol", "dave", "erin")) {
            pipe(events.joined("general", u, at(0)));
        }
        ChannelEvent mention = events.message("general", "alice", at(1), "@carol can you review?", null, "carol");
        pipe(mention);
        pipe(events.read("general", "carol", mention.getSeq(), at(2)));

        advance(Duration.ofSeconds(40));

        assertThat(notifications.readValuesToList()).isEmpty();
    }

    @Test
    void aUserOnlineAtTheDueTimeOrAfterTheMessagesIsNotNotified() {
        pipe(events.created("general", "alice", Visibility.PUBLIC, at(0)));
        pipe(events.joined("general", "bob", at(0)));
        pipe(events.joined("general", "carol", at(0)));
        pipe(events.joined("general", "dave", at(0)));
        pipe(events.message("general", "alice", at(1), "@bob @carol @dave", null, "bob", "carol", "dave"));
        online.put("bob", new Presence(true, at(40).toEpochMilli()));
        online.put("carol", new Presence(false, at(10).toEpochMilli())); // came online after the message, left again

        advance(Duration.ofSeconds(40));

        assertThat(notifications.readValuesToList()).extracting(Notification::getUser).containsExactly("dave");
    }

    @Test
    void nonMembersOfAPrivateChannelAndUsersWhoLeftAreNeverNotified() {
        pipe(events.created("secret", "alice", Visibility.PRIVATE, at(0)));
        pipe(events.joined("secret", "bob", at(0)));
        pipe(events.message("secret", "alice", at(1), "@mallory @bob", null, "mallory", "bob"));
        pipe(events.left("secret", "bob", at(2)));

        advance(Duration.ofSeconds(40));

        assertThat(notifications.readValuesToList()).isEmpty();
    }

    @Test
    void threadParticipantsGetRepliesAndPreferencesDecide() {
        pipe(events.created("general", "alice", Visibility.PUBLIC, at(0)));
        pipe(events.joined("general", "bob", at(0)));
        pipe(events.joined("general", "carol", at(0)));
        pipe(events.joined("general", "dave", at(0))); // seq 4
        pipe(events.message("general", "bob", at(1), "root", null)); // seq 5, bob's thread
        pipe(events.message("general", "carol", at(1), "reply", 5L)); // carol takes part
        // dave wants everything in general; carol mutes it
        pipe(preferences("dave", "general", NotificationLevel.MENTIONS, Map.of("general", ChannelNotificationLevel.ALL), at(2)));
        pipe(preferences("carol", "general", NotificationLevel.MENTIONS, Map.of("general", ChannelNotificationLevel.MUTE), at(2)));
        advance(Duration.ofSeconds(40));
        notifications.readValuesToList(); // the first reply's notification to bob

        pipe(events.message("general", "alice", at(41), "another reply", 5L)); // seq 7
        pipe(events.message("general", "alice", at(42), "top level", null)); // seq 8
        advance(Duration.ofSeconds(40));

        List<Notification> out = notifications.readValuesToList();
        assertThat(out).extracting(Notification::getUser).containsExactlyInAnyOrder("bob", "dave");
        Notification bob = out.stream().filter(n -> n.getUser().equals("bob")).findFirst().orElseThrow();
        assertThat(bob.getItems()).extracting(NotificationItem::getSeq, NotificationItem::getReason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(7L, NotificationReason.THREAD_REPLY));
        Notification dave = out.stream().filter(n -> n.getUser().equals("dave")).findFirst().orElseThrow();
        assertThat(dave.getItems()).extracting(NotificationItem::getSeq).containsExactly(8L, 7L);
        assertThat(dave.getItems()).extracting(NotificationItem::getReason).containsOnly(NotificationReason.CHANNEL_ALL);
    }

    @Test
    void messagesOlderThanTheMaximumAgeNotifyNobody() {
        pipe(events.created("general", "alice", Visibility.PUBLIC, T0.minus(Duration.ofHours(3))));
        pipe(events.joined("general", "bob", T0.minus(Duration.ofHours(3))));
        pipe(events.message("general", "alice", T0.minus(Duration.ofHours(2)), "@bob old news", null, "bob"));

        advance(Duration.ofSeconds(40));

        assertThat(notifications.isEmpty()).isTrue();
    }

    @Test
    void threadParticipationsOlderThanTheRetentionArePrunedAndNotifyNobody() {
        pipe(events.created("general", "alice", Visibility.PUBLIC, at(0)));
        for (String u : List.of("bob", "carol", "dave")) {
            pipe(events.joined("general", u, at(0)));
        }
        pipe(events.message("general", "bob", at(1), "root", null)); // seq 5, bob's thread
        pipe(events.message("general", "carol", at(2), "reply", 5L)); // carol takes part
        advance(Duration.ofMinutes(50));
        notifications.readValuesToList(); // bob's notification of carol's reply
        pipe(events.message("general", "dave", at(50 * 60), "late reply", 5L)); // dave takes part 50 min later
        advance(Duration.ofMinutes(20)); // bob's and carol's posts are now 70 min old, dave's 20 min
        notifications.readValuesToList(); // bob's and carol's notifications of dave's reply

        KeyValueStore<Bytes, byte[]> threads = driver.getKeyValueStore(NotifierStores.THREADS);
        List<String> participants = new java.util.ArrayList<>();
        try (var it = threads.all()) {
            it.forEachRemaining(kv -> participants.add(StoreKeys.third(kv.key)));
        }
        assertThat(participants).as("only participations within the retention are kept").containsExactly("dave");
        try (var it = driver.<Bytes, byte[]>getKeyValueStore(NotifierStores.THREAD_EXPIRY).all()) {
            assertThat(it).toIterable().hasSize(1);
        }

        pipe(events.message("general", "alice", at(70 * 60), "one more", 5L));
        advance(Duration.ofSeconds(40));

        assertThat(notifications.readValuesToList()).extracting(Notification::getUser).containsExactly("dave");
    }
}
