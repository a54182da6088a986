package dev.parley.ops.cli;

import dev.parley.avro.notify.Notification;
import dev.parley.avro.notify.NotificationDeadLetter;
import dev.parley.avro.notify.NotificationItem;
import dev.parley.notifier.delivery.WebhookBody;
import dev.parley.schemas.serde.ParleyAvroSerde;
import dev.parley.schemas.serde.SerdeConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code parley notifications ...}: what the notifier decided and what it gave up on. */
@Command(name = "notifications",
        description = "Inspects the notifier's topics: the notifications it decided to send, and its dead letters.",
        subcommands = {NotificationsCommand.Tail.class, CommandLine.HelpCommand.class})
public final class NotificationsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command: tail or help");
    }

    /** {@code parley notifications tail}. */
    @Command(name = "tail",
            description = {"Prints the committed notifications (read_committed): one line each, or the webhook's JSON body.",
                    "With --dlq, the dead letters instead: the notification, the endpoint, the attempts and the reason."},
            footer = {"", "Output: 'time  user  id  count  reason channel#seq sender: text' per notification, "
                    + "'time  user  id  endpoint  attempts  reason' per dead letter.",
                    "Exit status: 0 done (or stopped with Ctrl-C while following), 1 errors."})
    static final class Tail implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;

        @Option(names = {"-f", "--follow"}, description = "Keep printing new ones until Ctrl-C.")
        boolean follow;

        @Option(names = "--user", paramLabel = "USER", description = "Only those for this user.")
        String user;

        @Option(names = "--dlq", description = "Print the dead-letter topic instead.")
        boolean dlq;

        @Option(names = "--json", description = "Print each notification as the webhook's JSON body.")
        boolean json;

        @Mixin
        LogReaderOptions kafka;

        private final AtomicBoolean stop = new AtomicBoolean();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            String topic = kafka.topics().prefix() + (dlq ? "notifications-dlq" : "notifications");
            Class<? extends SpecificRecord> type = dlq ? NotificationDeadLetter.class : Notification.class;
            try (KafkaConsumer<String, ? extends SpecificRecord> consumer = consumer(type)) {
                Thread hook = new Thread(() -> {
                    stop.set(true);
                    consumer.wakeup();
                }, "parley-notifications-tail-stop");
                if (follow) {
                    Runtime.getRuntime().addShutdownHook(hook);
                }
                List<PartitionInfo> partitions = consumer.partitionsFor(topic, kafka.timeout);
                if (partitions == null || partitions.isEmpty()) {
                    err.println("error: topic " + topic + " does not exist on " + kafka.bootstrapServers
                            + " (has a notifier run on this cluster?)");
                    err.flush();
                    return 1;
                }
                List<TopicPartition> tps = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
                consumer.assign(tps);
                consumer.seekToBeginning(tps);
                Map<TopicPartition, Long> end = consumer.endOffsets(tps, kafka.timeout);
                long printed = 0;
                while (!stop.get()) {
                    try {
                        for (ConsumerRecord<String, ? extends SpecificRecord> r : consumer.poll(Duration.ofMillis(200))) {
                            if (user != null && !user.equals(r.key())) {
                                continue;
                            }
                            out.println(r.value() instanceof NotificationDeadLetter l ? line(l) : render((Notification) r.value()));
                            printed++;
                        }
                    } catch (RecordDeserializationException e) {
                        err.println("warning: cannot decode " + e.topicPartition() + "@" + e.offset() + ": " + e.getMessage());
                        consumer.seek(e.topicPartition(), e.offset() + 1);
                    } catch (WakeupException e) {
                        break;
                    }
                    out.flush();
                    if (!follow && tps.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp))) {
                        break;
                    }
                }
                if (follow) {
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException shuttingDown) {
                        // Ctrl-C: the hook ran
                    }
                }
                if (printed == 0 && !follow) {
                    err.println("no " + (dlq ? "dead letters" : "notifications") + (user == null ? "" : " for " + user) + " in " + topic);
                    err.flush();
                }
                return 0;
            } catch (RuntimeException e) {
                err.println("error: " + e.getMessage());
                err.flush();
                return 1;
            }
        }

        private String render(Notification n) {
            return json ? TerminalText.escapeJson(WebhookBody.json(n).toString()) : line(n);
        }

        private <T extends SpecificRecord> KafkaConsumer<String, T> consumer(Class<T> type) {
            int timeoutMs = (int) Math.min(Integer.MAX_VALUE, Math.max(1000, kafka.timeout.toMillis()));
            Map<String, Object> c = new HashMap<>();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers);
            c.put(ConsumerConfig.CLIENT_ID_CONFIG, "parley-cli-notifications");
            c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            c.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
            c.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMs, 30_000));
            return new KafkaConsumer<>(c, new StringDeserializer(),
                    ParleyAvroSerde.forValue(type, SerdeConfig.forUrl(kafka.registryUrl)).deserializer());
        }
    }

    /** {@code time  user  id  count  reason channel#seq sender: text} (the newest message). */
    static String line(Notification n) {
        StringBuilder s = new StringBuilder(String.format("%s  %-12s %s  %3d msg", n.getCreatedAt(), n.getUser(),
                n.getNotificationId(), n.getCount()));
        if (!n.getItems().isEmpty()) {
            NotificationItem i = n.getItems().get(0);
            s.append("  ").append(i.getReason().name().toLowerCase(Locale.ROOT)).append(' ').append(i.getChannel())
                    .append('#').append(i.getSeq()).append(' ').append(i.getSender()).append(": ")
                    .append(TerminalText.escape(i.getText()));
        }
        return s.toString();
    }

    /** {@code time  user  id  endpoint  attempts  reason}. */
    static String line(NotificationDeadLetter l) {
        return String.format("%s  %-12s %s  %s  %d attempt(s)  %s", l.getDeadLetteredAt(), l.getNotification().getUser(),
                l.getNotification().getNotificationId(), l.getEndpoint(), l.getAttempts(), TerminalText.escape(l.getReason()));
    }
}
