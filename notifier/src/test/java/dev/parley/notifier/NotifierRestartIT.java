package dev.parley.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.avro.Actor;
import dev.parley.avro.Role;
import dev.parley.avro.Visibility;
import dev.parley.avro.event.ChannelCreated;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.event.EventKind;
import dev.parley.avro.event.MemberJoined;
import dev.parley.avro.event.MessagePosted;
import dev.parley.notifier.digest.NotificationIds;
import dev.parley.notifier.support.NotifierEnv;
import dev.parley.notifier.support.WebhookReceiver;
import dev.parley.schemas.serde.ParleyAvroSerde;
import dev.parley.schemas.serde.SerdeConfig;
import dev.parley.testkit.ChildJvm;
import dev.parley.testkit.KafkaTestCluster;
import dev.parley.testkit.SharedKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The notifier as a separate JVM, SIGKILLed in the middle of a webhook outage while notifications are pending on
 * both sides (digests waiting for their delay, deliveries being retried), then restarted on the same state: once
 * the receiver recovers, every expected notification arrives, and only ever under its one deterministic id.
 * The log is written as the topology writes it, so the test needs no topology.
 */
@ExtendWith(SharedKafka.class)
class NotifierRestartIT {

    static NotifierEnv env;
    static WebhookReceiver receiver;

    @BeforeAll
    static void setUp(KafkaTestCluster kafka) {
        env = new NotifierEnv(kafka, NotifierRestartIT.class);
        receiver = NotifierEnv.receiver();
    }

    @AfterAll
    static void tearDown() {
        receiver.close();
        env.close();
    }

    private final Map<String, Long> seqs = new HashMap<>();

    ChannelEvent event(String channel, String actor, EventKind kind, Object payload) {
        long seq = seqs.merge(channel, 1L, Long::sum);
        return ChannelEvent.newBuilder().setChannel(channel).setSeq(seq).setEventId("ev-" + channel + "-" + seq)
                .setMessageId(kind == EventKind.MESSAGE ? "m-" + channel + "-" + seq : null).setKind(kind)
                .setActor(new Actor(actor, "d1")).setTimestamp(Instant.now()).setIdempotencyKey(null).setCommandId(null)
                .setPayload(payload).build();
    }

    void write(List<ChannelEvent> events) {
        Map<String, Object> p = Map.of("bootstrap.servers", env.kafka.bootstrapServers(), "acks", "all");
        try (KafkaProducer<String, ChannelEvent> producer = new KafkaProducer<>(p, new StringSerializer(),
                ParleyAvroSerde.forValue(ChannelEvent.class, SerdeConfig.forUrl(env.registry.url().toString())).serializer())) {
            events.forEach(e -> producer.send(new ProducerRecord<>(env.names.log(), null, e.getTimestamp().toEpochMilli(),
                    e.getChannel(), e)));
        }
    }

    /** Mentions of users {@code from..to} in {@code channel}; returns the ids their notifications must have. */
    List<String> mentions(String channel, int from, int to, List<ChannelEvent> into) {
        List<String> ids = new ArrayList<>();
        for (int i = from; i < to; i++) {
            String user = "u" + i;
            ChannelEvent m = event(channel, "alice", EventKind.MESSAGE,
                    MessagePosted.newBuilder().setText("@" + user + " ping").setThreadRoot(null).setMentions(List.of(user)).build());
            into.add(m);
            ids.add(NotificationIds.of(user, m.getEventId()));
        }
        return ids;
    }

    @Test
    void aSigkilledNotifierLosesNothingAndNeverRenamesANotification() throws Exception {
        Map<String, String> childEnv = env.notifierEnv(receiver, Map.of("PARLEY_NOTIFIER_DELAY", "2s",
                "PARLEY_NOTIFIER_RETRY_MAX_ATTEMPTS", "1000", "PARLEY_NOTIFIER_RETRY_MAX_BACKOFF", "2s"));
        List<ChannelEvent> setup = new ArrayList<>();
        setup.add(event("general", "alice", EventKind.CHANNEL_CREATED, ChannelCreated.newBuilder()
                .setVisibility(Visibility.PUBLIC).setTitle(null).setDirect(false).setMembers(List.of()).build()));
        for (int i = 0; i < 60; i++) {
            setup.add(event("general", "u" + i, EventKind.MEMBER_JOINED,
                    MemberJoined.newBuilder().setUser("u" + i).setRole(Role.MEMBER).setAddedBy(null).build()));
        }
        write(setup);
        receiver.answer(500); // the outage starts before anything is delivered

        Set<String> expected = new TreeSet<>();
        try (ChildJvm first = ChildJvm.start(NotifierMain.class, childEnv, "PARLEY_NOTIFIER_READY")) {
            first.awaitReady(120, TimeUnit.SECONDS);
            List<ChannelEvent> batch = new ArrayList<>();
            expected.addAll(mentions("general", 0, 30, batch));
            write(batch);
            // deliveries are failing and being retried
            await().atMost(Duration.ofSeconds(120)).until(() -> receiver.callsById("ntf_").size() >= 10);
            List<ChannelEvent> pending = new ArrayList<>();
            expected.addAll(mentions("general", 30, 45, pending));
            write(pending); // some of these are digests waiting for their delay when the process dies
            first.kill();
        }
        List<ChannelEvent> whileDown = new ArrayList<>();
        expected.addAll(mentions("general", 45, 60, whileDown));
        write(whileDown);

        try (ChildJvm second = ChildJvm.start(NotifierMain.class, childEnv, "PARLEY_NOTIFIER_READY")) {
            second.awaitReady(120, TimeUnit.SECONDS);
            receiver.recover();

            await().atMost(Duration.ofSeconds(180)).until(() -> receiver.acceptedById("ntf_").keySet().containsAll(expected));

            assertThat(receiver.acceptedById("ntf_").keySet()).as("every notification, under its deterministic id only")
                    .containsExactlyInAnyOrderElementsOf(expected);
            Map<String, Set<String>> idsByUser = receiver.calls().stream().collect(Collectors.groupingBy(
                    c -> c.body().path("user").asText(), Collectors.mapping(WebhookReceiver.Call::id, Collectors.toSet())));
            assertThat(idsByUser).hasSize(60).allSatisfy((user, ids) -> assertThat(ids).as(user).hasSize(1));
            assertThat(receiver.calls()).allMatch(WebhookReceiver.Call::verified);
            assertThat(env.deadLetters(env.names.prefix() + "notifications-dlq")).isEmpty();
        }
    }
}
