package dev.parley.ops.chaos;

import dev.parley.avro.event.ChannelCreated;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.event.MemberJoined;
import dev.parley.avro.event.MemberLeft;
import dev.parley.avro.Visibility;
import dev.parley.ops.chaos.check.LoggedEvent;
import dev.parley.schemas.serde.ParleyAvroSerde;
import dev.parley.schemas.serde.SerdeConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the whole committed log, from the beginning to its end when the scan starts, with {@code read_committed}
 * (what a crash aborted is not there), into the checker's {@link LoggedEvent}s in partition order. A record that
 * does not decode fails the scan: the log must be readable.
 */
public final class LogScan {

    private LogScan() {
    }

    public static List<LoggedEvent> read(String bootstrapServers, String registryUrl, String topic, Duration timeout) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "parley-chaos-log-scan");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        ParleyAvroSerde<ChannelEvent> events = ParleyAvroSerde.forValue(ChannelEvent.class, SerdeConfig.forUrl(registryUrl, Map.of()));
        List<LoggedEvent> out = new ArrayList<>();
        try (KafkaConsumer<String, ChannelEvent> consumer = new KafkaConsumer<>(c, new StringDeserializer(), events.deserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            Set<TopicPartition> remaining = new HashSet<>();
            for (TopicPartition tp : partitions) {
                if (consumer.position(tp, timeout) < end.get(tp)) {
                    remaining.add(tp);
                }
            }
            long deadline = System.nanoTime() + timeout.toNanos() * 10;
            while (!remaining.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the log scan did not reach the end of " + remaining);
                }
                for (ConsumerRecord<String, ChannelEvent> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                        out.add(toLogged(r.value()));
                    }
                }
                remaining.removeIf(tp -> consumer.position(tp) >= end.get(tp));
            }
        }
        return out;
    }

    static LoggedEvent toLogged(ChannelEvent e) {
        String user = e.getActor().getUser();
        Object p = e.getPayload();
        LoggedEvent.Kind kind = switch (e.getKind()) {
            case CHANNEL_CREATED -> LoggedEvent.Kind.CHANNEL_CREATED;
            case MEMBER_JOINED -> LoggedEvent.Kind.MEMBER_JOINED;
            case MEMBER_LEFT -> LoggedEvent.Kind.MEMBER_LEFT;
            case MESSAGE -> LoggedEvent.Kind.MESSAGE;
            default -> LoggedEvent.Kind.OTHER;
        };
        String member = p instanceof MemberJoined j ? j.getUser() : p instanceof MemberLeft l ? l.getUser() : null;
        boolean isPrivate = p instanceof ChannelCreated cc && cc.getVisibility() == Visibility.PRIVATE;
        String key = kind == LoggedEvent.Kind.MESSAGE ? e.getIdempotencyKey() : null;
        return new LoggedEvent(e.getChannel(), e.getSeq(), kind, user, e.getEventId(), key, member, isPrivate);
    }
}
