package dev.parley.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.avro.event.ChannelEvent;
import dev.parley.testkit.KafkaTestCluster;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * What replication costs the brokers per record written (docs/scaling.md: the replication factor of the capacity
 * model). Three in-process brokers; the same 200,000 log events (249-byte Avro values, {@link SampleLog}) are
 * written, alternately, to a topic with replication factor 1 and one with 3 (min.insync.replicas 2), acks=all,
 * idempotent, lz4, linger 5 ms; the process's CPU minus the producer's threads, per record, is the brokers' cost
 * (their GC and JIT included). Not part of {@code mvn verify} (the name matches neither {@code *Test} nor
 * {@code *IT}); run it with {@code mvn -o -q -B test -pl ops -am -Dtest=ReplicationCostMeasurement
 * -Dsurefire.failIfNoSpecifiedTests=false} and read its output in {@code ops/target/surefire-reports}.
 */
class ReplicationCostMeasurement {

    private static final int EVENTS = 200_000;
    private static final int PASSES = 4;

    @Test
    void brokerCpuPerRecordAtReplicationFactorOneAndThree() throws Exception {
        List<ChannelEvent> sample = SampleLog.messages(EVENTS, 1000, BenchContext.TEXT);
        List<byte[]> encoded = SampleLog.encode(SampleLog.serde(), sample);
        var os = ManagementFactory.getOperatingSystemMXBean();
        try (KafkaTestCluster kafka = KafkaTestCluster.threeBrokers()) {
            kafka.admin().createTopics(List.of(
                    new NewTopic("rf1", 12, (short) 1),
                    new NewTopic("rf3", 12, (short) 3).configs(Map.of("min.insync.replicas", "2")))).all().get();
            System.out.println("| topic | pass | records | producer threads µs/record | brokers (rest of the process) µs/record | wall s | load average |");
            System.out.println("|---|---|---|---|---|---|---|");
            for (int pass = 1; pass <= PASSES; pass++) {
                for (String topic : List.of("rf1", "rf3")) {
                    long[] cost = write(kafka.bootstrapServers(), topic, sample, encoded);
                    System.out.printf("| %s | %d | %,d | %.2f | %.2f | %.2f | %.2f |%n", topic, pass, EVENTS, cost[0] / 1e3 / EVENTS,
                            cost[1] / 1e3 / EVENTS, cost[2] / 1e9, os.getSystemLoadAverage());
                }
            }
        }
    }

    /** @return nanoseconds: the producer's threads' CPU, the rest of the process's CPU, wall time */
    private static long[] write(String bootstrap, String topic, List<ChannelEvent> events, List<byte[]> encoded) throws Exception {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.partitionsFor(topic);
            long wall = System.nanoTime();
            long process = processCpu();
            long client = threads.getCurrentThreadCpuTime() + producerIoCpu(threads);
            List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
            for (int i = 0; i < events.size(); i++) {
                acks.add(producer.send(new ProducerRecord<>(topic, events.get(i).getChannel(), encoded.get(i))));
            }
            producer.flush();
            for (Future<RecordMetadata> f : acks) {
                f.get();
            }
            long clientNanos = threads.getCurrentThreadCpuTime() + producerIoCpu(threads) - client;
            long rest = processCpu() - process - clientNanos;
            assertThat(acks).hasSize(events.size());
            return new long[] {clientNanos, rest, System.nanoTime() - wall};
        }
    }

    private static long producerIoCpu(ThreadMXBean threads) {
        long sum = 0;
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("kafka-producer-network-thread")) {
                sum += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return sum;
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
