package dev.parley.ops.cli;

import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.event.EventKind;
import dev.parley.api.events.EventJson;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code parley replay-check}: reads the whole committed log and checks the invariants the topology
 * promises, the ones a rebuild of state from the log relies on.
 */
@Command(name = "replay-check",
        description = {"Scans the committed log from the beginning to its current end and verifies, per channel:",
                "  - seqs are 1, 2, 3, ... with no gap and no repeat, in log order;",
                "  - every record's key is its channel and a channel lives in one partition;",
                "  - seq 1 is channel_created; event ids are unique, and message ids of messages are unique;",
                "  - every record decodes with the registry's schemas.",
                "Progress goes to stderr every few seconds. Reads only (read_committed); safe on a live cluster."},
        footer = {"", "Exit status: 0 the log is consistent, 3 violations found (listed), 1 errors (e.g. no broker)."})
public final class ReplayCheckCommand implements Callable<Integer> {

    public static final int EXIT_VIOLATIONS = 3;
    private static final int MAX_LISTED = 50;

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--progress-every", paramLabel = "DURATION", defaultValue = "2s", converter = DurationConverter.class,
            description = "How often to print progress on stderr. Env PARLEY_PROGRESS_EVERY. Default: ${DEFAULT-VALUE}")
    Duration progressEvery;

    @Mixin
    LogReaderOptions log;

    /** Per channel: what the scan saw so far. */
    private static final class ChannelState {
        final int partition;
        long lastSeq;
        long events;

        ChannelState(int partition) {
            this.partition = partition;
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String topic = log.topics().log();
        Map<String, ChannelState> channels = new HashMap<>();
        Set<String> eventIds = new HashSet<>();
        Set<String> messageIds = new HashSet<>();
        Map<String, Long> kinds = new TreeMap<>();
        List<String> violations = new ArrayList<>();
        long[] violationCount = {0};
        long records = 0;
        long undecodable = 0;
        try (KafkaConsumer<String, ChannelEvent> consumer = log.consumer("parley-cli-replay-check")) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, log.timeout);
            if (infos == null || infos.isEmpty()) {
                err.println("error: topic " + topic + " does not exist on " + log.bootstrapServers);
                err.flush();
                return 1;
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, log.timeout);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, log.timeout);
            long total = partitions.stream().mapToLong(tp -> end.get(tp) - begin.get(tp)).sum();
            out.printf("replay-check of %s on %s: %d partitions, %,d records (offsets, incl. transaction markers) up to the current end%n",
                    topic, log.bootstrapServers, partitions.size(), total);
            out.flush();
            Progress progress = new Progress(err, "replay-check", total, Math.max(100, progressEvery.toMillis()));
            Set<TopicPartition> remaining = new HashSet<>();
            for (TopicPartition tp : partitions) {
                if (end.get(tp) > begin.get(tp)) {
                    remaining.add(tp);
                } else {
                    consumer.pause(List.of(tp));
                }
            }
            while (!remaining.isEmpty()) {
                try {
                    for (ConsumerRecord<String, ChannelEvent> r : consumer.poll(Duration.ofMillis(500))) {
                        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                        if (r.offset() >= end.get(tp)) {
                            continue; // written after the scan started
                        }
                        records++;
                        check(r, channels, eventIds, messageIds, kinds, violations, violationCount);
                    }
                } catch (RecordDeserializationException e) {
                    undecodable++;
                    violation(violations, violationCount, e.topicPartition() + "@" + e.offset() + ": cannot decode: " + e.getMessage());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
                long done = 0;
                for (TopicPartition tp : partitions) {
                    long pos = remaining.contains(tp) ? consumer.position(tp) : end.get(tp);
                    if (remaining.contains(tp) && pos >= end.get(tp)) {
                        remaining.remove(tp);
                        consumer.pause(List.of(tp));
                    }
                    done += Math.min(pos, end.get(tp)) - begin.get(tp);
                }
                progress.update(done, channels.size() + " channels, " + violationCount[0] + " violations");
            }
            progress.done(total, channels.size() + " channels, " + violationCount[0] + " violations");
        } catch (RuntimeException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        }
        out.printf("records:    %,d events (%,d undecodable)%n", records, undecodable);
        out.printf("channels:   %,d%n", channels.size());
        out.printf("kinds:      %s%n", kinds.isEmpty() ? "-" : kinds.toString());
        out.printf("max seq:    %,d%n", channels.values().stream().mapToLong(c -> c.lastSeq).max().orElse(0));
        if (violationCount[0] == 0) {
            out.println("violations: none");
            out.println("OK: every channel's seqs are gap-free and unique, keys match, ids are unique");
            out.flush();
            return 0;
        }
        out.printf("violations: %,d%s%n", violationCount[0], violationCount[0] > MAX_LISTED ? " (first " + MAX_LISTED + " listed)" : "");
        violations.forEach(v -> out.println("  " + v));
        out.println("FAILED");
        out.flush();
        return EXIT_VIOLATIONS;
    }

    private static void check(ConsumerRecord<String, ChannelEvent> r, Map<String, ChannelState> channels, Set<String> eventIds,
                              Set<String> messageIds, Map<String, Long> kinds, List<String> violations, long[] count) {
        String at = r.topic() + "-" + r.partition() + "@" + r.offset();
        ChannelEvent e = r.value();
        if (e == null) {
            violation(violations, count, at + ": null value (tombstone) in the log");
            return;
        }
        String channel = e.getChannel();
        String kind = EventJson.kind(e);
        kinds.merge(kind, 1L, Long::sum);
        if (!channel.equals(r.key())) {
            violation(violations, count, at + ": key '" + r.key() + "' is not the event's channel '" + channel + "'");
        }
        ChannelState c = channels.computeIfAbsent(channel, ch -> new ChannelState(r.partition()));
        if (c.partition != r.partition()) {
            violation(violations, count, at + ": channel '" + channel + "' also appears in partition " + c.partition);
        }
        long expected = c.lastSeq + 1;
        if (e.getSeq() == expected) {
            c.lastSeq = e.getSeq();
        } else if (e.getSeq() > expected) {
            violation(violations, count, at + ": channel '" + channel + "' jumps from seq " + c.lastSeq + " to " + e.getSeq()
                    + " (gap of " + (e.getSeq() - expected) + ")");
            c.lastSeq = e.getSeq();
        } else {
            violation(violations, count, at + ": channel '" + channel + "' repeats or goes back to seq " + e.getSeq()
                    + " after " + c.lastSeq);
        }
        c.events++;
        if (e.getSeq() == 1 && e.getKind() != EventKind.CHANNEL_CREATED) {
            violation(violations, count, at + ": channel '" + channel + "' starts with " + kind + ", not channel_created");
        }
        if (!eventIds.add(e.getEventId())) {
            violation(violations, count, at + ": event id " + e.getEventId() + " appears twice");
        }
        if (e.getKind() == EventKind.MESSAGE && e.getMessageId() != null && !messageIds.add(e.getMessageId())) {
            violation(violations, count, at + ": message id " + e.getMessageId() + " is posted twice");
        }
    }

    private static void violation(List<String> listed, long[] count, String v) {
        count[0]++;
        if (listed.size() < MAX_LISTED) {
            listed.add(v);
        }
    }
}
