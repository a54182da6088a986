package dev.parley.ops.cli;

import dev.parley.avro.event.ChannelEvent;
import dev.parley.api.events.EventJson;
import dev.parley.api.Limits;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.utils.Utils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code parley tail <channel>}: a channel's committed log, decoded, straight from Kafka. */
@Command(name = "tail",
        description = {"Prints the committed log of one channel, decoded: every event in seq order.",
                "Reads the log topic's partition of the channel from Kafka (read_committed), not the topology's "
                        + "stores, so it shows what is durably there. Progress goes to stderr on long scans."},
        footer = {"", "Output: one line per event, 'seq  time  user  kind  details', or the client JSON with --json.",
                "Control characters in the text (ESC, CR, NUL, bidi marks...) are printed as \\uXXXX escapes.",
                "Exit status: 0 done (or stopped with Ctrl-C while following), 1 errors."})
public final class TailCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Parameters(paramLabel = "CHANNEL", description = "The channel id.")
    String channel;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new events until Ctrl-C.")
    boolean follow;

    @Option(names = "--after", paramLabel = "SEQ", defaultValue = "0",
            description = "Print only events with a seq above this. Default: ${DEFAULT-VALUE}")
    long after;

    @Option(names = "--json", description = "Print each event as the JSON clients receive.")
    boolean json;

    @Mixin
    LogReaderOptions log;

    private final AtomicBoolean stop = new AtomicBoolean();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Limits.isValidChannelId(channel)) {
            err.println("error: '" + channel + "' is not a valid channel id");
            err.flush();
            return 2;
        }
        String topic = log.topics().log();
        try (KafkaConsumer<String, ChannelEvent> consumer = log.consumer("parley-cli-tail")) {
            Thread hook = new Thread(() -> {
                stop.set(true);
                consumer.wakeup();
            }, "parley-tail-stop");
            if (follow) {
                Runtime.getRuntime().addShutdownHook(hook);
            }
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, log.timeout);
            if (partitions == null || partitions.isEmpty()) {
                err.println("error: topic " + topic + " does not exist on " + log.bootstrapServers);
                err.flush();
                return 1;
            }
            // The log is keyed by channel id: the default partitioner's murmur2 of the key picks the partition.
            TopicPartition tp = new TopicPartition(topic, partitionOf(channel, partitions.size()));
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long start = consumer.position(tp, log.timeout);
            long end = consumer.endOffsets(List.of(tp), log.timeout).get(tp);
            Progress progress = new Progress(err, "tail " + channel + " (" + tp + ")", end - start, 2000);
            long printed = 0;
            long lastSeq = after;
            boolean caughtUp = false;
            while (!stop.get()) {
                try {
                    for (ConsumerRecord<String, ChannelEvent> r : consumer.poll(Duration.ofMillis(200))) {
                        ChannelEvent e = r.value();
                        if (e != null && channel.equals(e.getChannel()) && e.getSeq() > lastSeq) {
                            out.println(json ? TerminalText.escapeJson(EventJson.render(e).toString()) : line(e));
                            lastSeq = e.getSeq();
                            printed++;
                        }
                    }
                } catch (RecordDeserializationException e) {
                    err.println("warning: cannot decode " + e.topicPartition() + "@" + e.offset() + ": " + e.getMessage());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                } catch (WakeupException e) {
                    break;
                }
                out.flush();
                long position = consumer.position(tp);
                if (!caughtUp) {
                    progress.update(position - start, printed + " events of " + channel);
                    if (position >= end) {
                        caughtUp = true;
                        progress.done(position - start, printed + " events of " + channel);
                        if (!follow) {
                            break;
                        }
                    }
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
                err.println("no events of '" + channel + "' after seq " + after + " in " + topic);
                err.flush();
            }
            return 0;
        } catch (RuntimeException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    /** The partition the default partitioner picks for a String key. */
    static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** {@code seq  time  user  kind  details}, control characters escaped ({@link TerminalText}). */
    static String line(ChannelEvent e) {
        Map<String, Object> n = EventJson.MAPPER.convertValue(EventJson.render(e), Map.class);
        String kind = EventJson.kind(e);
        StringBuilder details = new StringBuilder();
        switch (kind) {
            case "message" -> {
                if (n.get("threadRoot") != null) {
                    details.append("[thread ").append(n.get("threadRoot")).append("] ");
                }
                details.append(n.get("text"));
            }
            case "member_joined" -> details.append(n.get("member")).append(" as ").append(n.get("role"))
                    .append(n.get("addedBy") != null ? " (added by " + n.get("addedBy") + ")" : "");
            case "member_left" -> details.append(n.get("member"));
            case "channel_created" -> details.append(n.get("visibility"))
                    .append(n.get("title") != null ? " \"" + n.get("title") + "\"" : "");
            default -> details.append(n);
        }
        return TerminalText.escape(String.format("%6d  %s  %-12s %-16s %s", e.getSeq(), e.getTimestamp(),
                e.getActor().getUser(), kind, details));
    }
}
