package dev.parley.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.avro.notify.Notification;
import dev.parley.avro.notify.NotificationDeadLetter;
import dev.parley.avro.notify.NotificationItem;
import dev.parley.avro.notify.NotificationReason;
import dev.parley.notifier.NotifierTopics;
import dev.parley.notifier.streams.NotifierTopicNames;
import dev.parley.ops.runner.KafkaBrokerComponent;
import dev.parley.ops.runner.LocalStack;
import dev.parley.ops.runner.RegistryComponent;
import dev.parley.ops.runner.RunnerSettings;
import dev.parley.ops.runner.TopicsComponent;
import dev.parley.schemas.serde.ParleyAvroSerde;
import dev.parley.schemas.serde.SerdeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code parley notifications tail} against a real broker and registry, with records as the notifier writes them. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotificationsCommandIT {

    private LocalStack stack;
    private String bootstrap;
    private String registry;
    private NotifierTopicNames topics;

    @BeforeAll
    void start(@TempDir Path dir) {
        RunnerSettings settings = RunnerSettings.ephemeral(dir.resolve("data"));
        stack = new LocalStack(settings, List.of(new KafkaBrokerComponent(), new TopicsComponent(), new RegistryComponent())).start();
        bootstrap = stack.context().bootstrapServers();
        registry = stack.context().registryUrl().orElseThrow();
        topics = new NotifierTopicNames(settings.topicNames(), "parley-notifier");
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
            NotifierTopics.provision(admin, topics, settings.topicSettings(), Duration.ofDays(1), Duration.ofDays(1));
        }
        Notification bob = notification("ntf_1", "bob", "hi @bob\u001b[2J", NotificationReason.MENTION);
        Notification carol = notification("ntf_2", "carol", "lunch?", NotificationReason.DIRECT);
        NotificationDeadLetter letter = NotificationDeadLetter.newBuilder().setNotification(carol).setEndpoint("mobile")
                .setAttempts(8).setReason("retry budget exhausted after 8 attempts: HTTP 500").setLastStatus(500)
                .setFirstAttemptAt(Instant.parse("2026-11-30T10:00:31Z")).setDeadLetteredAt(Instant.parse("2026-11-30T10:02:40Z"))
                .build();
        Map<String, Object> serde = SerdeConfig.forUrl(registry);
        Map<String, Object> p = Map.of("bootstrap.servers", bootstrap, "acks", "all");
        try (var n = new KafkaProducer<>(p, new StringSerializer(), ParleyAvroSerde.forValue(Notification.class, serde).serializer());
             var d = new KafkaProducer<>(p, new StringSerializer(), ParleyAvroSerde.forValue(NotificationDeadLetter.class, serde).serializer())) {
            n.send(new ProducerRecord<>(topics.notifications(), "bob", bob));
            n.send(new ProducerRecord<>(topics.notifications(), "carol", carol));
            d.send(new ProducerRecord<>(topics.deadLetters(), "carol", letter));
        }
    }

    @AfterAll
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    static Notification notification(String id, String user, String text, NotificationReason reason) {
        Instant at = Instant.parse("2026-11-30T10:00:00Z");
        return Notification.newBuilder().setNotificationId(id).setUser(user).setCreatedAt(at.plusSeconds(31)).setFirstAt(at)
                .setDueAt(at.plusSeconds(30)).setCount(3)
                .setItems(List.of(NotificationItem.newBuilder().setChannel("general").setSeq(42).setMessageId("m42")
                        .setEventId("e42").setSender("alice").setTimestamp(at).setReason(reason).setThreadRoot(null)
                        .setText(text).build()))
                .build();
    }

    private CliRun tail(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("notifications", "tail", "--bootstrap-servers", bootstrap,
                "--schema-registry-url", registry));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void printsEachNotificationOnALineWithControlCharactersEscaped() {
        CliRun run = tail();

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out().lines().sorted()).containsExactly(
                "2026-11-30T10:00:31Z  bob          ntf_1    3 msg  mention general#42 alice: hi @bob\\u001B[2J",
                "2026-11-30T10:00:31Z  carol        ntf_2    3 msg  direct general#42 alice: lunch?");
    }

    @Test
    void printsTheWebhookBodyForOneUserAndTheDeadLetters() throws Exception {
        CliRun json = tail("--user", "carol", "--json");
        CliRun dlq = tail("--dlq");
        CliRun nobody = tail("--user", "zed");

        assertThat(json.code()).as(json.err()).isZero();
        JsonNode body = new ObjectMapper().readTree(json.out().strip());
        assertThat(body.path("id").asText()).isEqualTo("ntf_2");
        assertThat(body.path("messages").get(0).path("reason").asText()).isEqualTo("direct");
        assertThat(dlq.out().strip()).isEqualTo(
                "2026-11-30T10:02:40Z  carol        ntf_2  mobile  8 attempt(s)  retry budget exhausted after 8 attempts: HTTP 500");
        assertThat(nobody.code()).isZero();
        assertThat(nobody.out()).isEmpty();
        assertThat(nobody.err()).contains("no notifications for zed");
    }
}
