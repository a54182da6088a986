package dev.parley.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.avro.notify.Notification;
import dev.parley.avro.notify.NotificationDeadLetter;
import dev.parley.avro.notify.NotificationItem;
import dev.parley.avro.notify.NotificationReason;
import dev.parley.notifier.NotifierService;
import dev.parley.notifier.presence.PresenceView;
import dev.parley.notifier.support.NotifierEnv;
import dev.parley.notifier.support.WebhookReceiver;
import dev.parley.testkit.KafkaTestCluster;
import dev.parley.testkit.SharedKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The delivery worker of a real notifier process against a real local HTTP receiver that verifies every
 * signature: delivery, retries through errors and a hang, the dead-letter topic. Notifications are written
 * straight to the notifications topic, as the Streams side writes them.
 */
@ExtendWith(SharedKafka.class)
class WebhookDeliveryIT {

    static NotifierEnv env;

    @BeforeEach
    void setUp(KafkaTestCluster kafka) {
        env = new NotifierEnv(kafka, WebhookDeliveryIT.class); // a topic prefix per test: nothing carries over
    }

    @AfterEach
    void tearDown() {
        env.close();
    }

    static Notification notification(String id, String user, int i) {
        Instant at = Instant.now().minusSeconds(31);
        return Notification.newBuilder().setNotificationId(id).setUser(user).setCreatedAt(Instant.now()).setFirstAt(at)
                .setDueAt(at.plusSeconds(30)).setCount(1)
                .setItems(List.of(NotificationItem.newBuilder().setChannel("general").setSeq(i).setMessageId("m" + i)
                        .setEventId("e" + i).setSender("alice").setTimestamp(at).setReason(NotificationReason.MENTION)
                        .setThreadRoot(null).setText("hi @" + user + " #" + i).build()))
                .build();
    }

    /** The value of one unlabelled-but-for-application series of the notifier's /metrics. */
    static double counter(NotifierService notifier, String name) {
        return notifier.metrics().scrape().lines().filter(l -> l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    static List<NotificationDeadLetter> dlq(NotifierService notifier) {
        return env.deadLetters(notifier.topics().deadLetters()).stream()
                .filter(l -> l.getNotification().getNotificationId().startsWith("ntf_dlq_")).toList();
    }

    static List<Notification> batch(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> notification(prefix + i, "user" + (i % 7), i)).toList();
    }

    @Test
    void eachNotificationIsPostedOnceSignedWithTheDocumentedBody() {
        try (WebhookReceiver receiver = NotifierEnv.receiver()) {
            NotifierService notifier = env.notifier(receiver, Map.of("PARLEY_NOTIFIER_APPLICATION_ID", "ntf-ok"),
                    PresenceView.NOBODY_ONLINE);
            List<Notification> sent = batch("ntf_ok_", 12);

            env.produce(notifier.topics().notifications(), sent);

            await().atMost(Duration.ofSeconds(60)).until(() -> receiver.acceptedById("ntf_ok_").size() == 12);
            assertThat(receiver.calls()).allMatch(WebhookReceiver.Call::verified);
            assertThat(receiver.acceptedById("ntf_ok_")).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1L));
            JsonNode first = receiver.accepted().stream().filter(b -> b.path("id").asText().equals("ntf_ok_3"))
                    .findFirst().orElseThrow();
            assertThat(first.path("type").asText()).isEqualTo("notification");
            assertThat(first.path("user").asText()).isEqualTo("user3");
            assertThat(first.path("count").asInt()).isEqualTo(1);
            JsonNode m = first.path("messages").get(0);
            assertThat(m.path("channel").asText()).isEqualTo("general");
            assertThat(m.path("seq").asLong()).isEqualTo(3);
            assertThat(m.path("reason").asText()).isEqualTo("mention");
            assertThat(m.path("text").asText()).isEqualTo("hi @user3 #3");
            assertThat(m.path("sender").asText()).isEqualTo("alice");
            assertThat(notifier.metrics().scrape()).contains("parley_notifier_sent_total{application=\"ntf-ok\",endpoint=\"test\"}")
                    .contains("parley_notifier_commit_to_delivery_seconds{application=\"ntf-ok\",quantile=\"0.99\"}");
            notifier.close();
        }
    }

    @Test
    void errorsAndAHangAreRetriedWithBackoffAndOnRecoveryEachIsDeliveredOncePerKey() {
        try (WebhookReceiver receiver = NotifierEnv.receiver()) {
            NotifierService notifier = env.notifier(receiver, Map.of("PARLEY_NOTIFIER_APPLICATION_ID", "ntf-retry",
                    "PARLEY_NOTIFIER_RETRY_MAX_ATTEMPTS", "200"), PresenceView.NOBODY_ONLINE);
            receiver.answer(500);
            List<Notification> sent = batch("ntf_retry_", 20);

            env.produce(notifier.topics().notifications(), sent);
            // calls fail, are retried with backoff, and the circuit opens (then refuses attempts without calling)
            await().atMost(Duration.ofSeconds(60)).until(() -> counter(notifier, "parley_notifier_retried_total") >= 40
                    && receiver.callsById("ntf_retry_").size() >= 10);
            await().atMost(Duration.ofSeconds(60)).until(() -> counter(notifier, "parley_notifier_circuit_open") == 1);
            receiver.hang(); // now the receiver accepts connections and never answers (the sender times out)
            await().atMost(Duration.ofSeconds(60)).until(() -> receiver.hung() >= 2);
            long before = receiver.calls().size();
            assertThat(receiver.acceptedById("ntf_retry_")).isEmpty();

            receiver.recover();

            await().atMost(Duration.ofSeconds(90)).until(() -> receiver.acceptedById("ntf_retry_").size() == 20);
            assertThat(receiver.acceptedById("ntf_retry_").keySet()).containsExactlyInAnyOrderElementsOf(
                    sent.stream().map(Notification::getNotificationId).toList());
            assertThat(receiver.acceptedById("ntf_retry_")).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1L));
            assertThat(receiver.calls()).allMatch(WebhookReceiver.Call::verified);
            assertThat(receiver.calls().size()).isGreaterThan((int) before);
            assertThat(env.deadLetters(notifier.topics().deadLetters()))
                    .noneMatch(l -> l.getNotification().getNotificationId().startsWith("ntf_retry_"));
            assertThat(notifier.metrics().scrape()).contains("parley_notifier_retried_total");
            notifier.close();
        }
    }

    @Test
    void afterTheRetryBudgetOrARefusalANotificationLandsInTheDeadLetterTopicWithTheReason() {
        try (WebhookReceiver receiver = NotifierEnv.receiver()) {
            NotifierService notifier = env.notifier(receiver, Map.of("PARLEY_NOTIFIER_APPLICATION_ID", "ntf-dlq",
                    "PARLEY_NOTIFIER_RETRY_MAX_ATTEMPTS", "4"), PresenceView.NOBODY_ONLINE);
            receiver.answer(500);
            env.produce(notifier.topics().notifications(), List.of(notification("ntf_dlq_500", "bob", 1)));
            await().atMost(Duration.ofSeconds(60)).until(() -> dlq(notifier).size() == 1);
            receiver.answer(410);
            env.produce(notifier.topics().notifications(), List.of(notification("ntf_dlq_410", "carol", 2)));
            await().atMost(Duration.ofSeconds(60)).until(() -> dlq(notifier).size() == 2);
            receiver.answer(200);
            env.produce(notifier.topics().notifications(), List.of(notification("ntf_dlq_ok", "dave", 3)));
            await().atMost(Duration.ofSeconds(60)).until(() -> receiver.acceptedById().containsKey("ntf_dlq_ok"));

            List<NotificationDeadLetter> letters = env.deadLetters(notifier.topics().deadLetters()).stream()
                    .filter(l -> l.getNotification().getNotificationId().startsWith("ntf_dlq_")).toList();
            assertThat(letters).extracting(l -> l.getNotification().getNotificationId()).containsExactly("ntf_dlq_500", "ntf_dlq_410");
            NotificationDeadLetter exhausted = letters.get(0);
            assertThat(exhausted.getEndpoint()).isEqualTo("test");
            assertThat(exhausted.getAttempts()).isEqualTo(4);
            assertThat(exhausted.getReason()).startsWith("retry budget exhausted after 4 attempts: ");
            NotificationDeadLetter refused = letters.get(1);
            assertThat(refused.getAttempts()).isEqualTo(1);
            assertThat(refused.getLastStatus()).isEqualTo(410);
            assertThat(refused.getReason()).isEqualTo("refused by the receiver: HTTP 410");
            assertThat(receiver.calls().stream().filter(c -> c.id().equals("ntf_dlq_500")).count())
                    .as("calls made (the open circuit may have refused some attempts)").isBetween(1L, 4L);
            assertThat(receiver.acceptedById("ntf_dlq_")).containsOnlyKeys("ntf_dlq_ok");
            notifier.close();
        }
    }
}
