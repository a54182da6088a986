package dev.parley.ops.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Drives a Kafka hop from the load generator: a producer into {@code in} (acks=all, idempotent, lz4, linger 1 ms:
 * the gateway's settings) and a read_committed consumer of {@code out}, records of {@link BenchContext#RECORD_BYTES}
 * keyed over 100 keys. For the raw baseline in == out; for the EOS baseline the pipe sits between them.
 * Each record carries its send number, so its latency is taken from when it was due.
 */
final class KafkaPipeProbe {

    static final int PARTITIONS = 12;

    private final String bootstrap;
    private final String in;
    private final String out;

    KafkaPipeProbe(String bootstrap, String in, String out) {
        this.bootstrap = bootstrap;
        this.in = in;
        this.out = out;
    }

    static void createTopics(String bootstrap, String... topics) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            List<NewTopic> list = new ArrayList<>();
            for (String t : topics) {
                list.add(new NewTopic(t, PARTITIONS, (short) 1));
            }
            admin.createTopics(list).all().get();
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> tps = new ArrayList<>();
        for (PartitionInfo p : consumer.partitionsFor(out)) {
            tps.add(new TopicPartition(p.topic(), p.partition()));
        }
        consumer.assign(tps);
        consumer.seekToEnd(tps);
        tps.forEach(consumer::position);
        return consumer;
    }

    private static byte[] record(long i) {
        ByteBuffer b = ByteBuffer.allocate(BenchContext.RECORD_BYTES);
        b.putLong(i);
        byte[] fill = BenchContext.TEXT.getBytes(StandardCharsets.UTF_8);
        while (b.hasRemaining()) {
            b.put(fill, 0, Math.min(fill.length, b.remaining()));
        }
        return b.array();
    }

    private static byte[] key(long i) {
        return ("c" + (i % 100)).getBytes(StandardCharsets.UTF_8);
    }

    /** Open loop at {@code perSecond}: latency produce->consume from each record's due time. */
    LatencyRecorder latency(String name, double perSecond, Duration warmup, Duration measured, AtomicLong received)
            throws InterruptedException {
        LatencyRecorder rec = new LatencyRecorder(name);
        SendLog log = new SendLog();
        AtomicBoolean running = new AtomicBoolean(true);
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(); KafkaProducer<byte[], byte[]> producer = producer()) {
            Thread reader = new Thread(() -> {
                while (running.get()) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                        long now = System.nanoTime();
                        long i = ByteBuffer.wrap(r.value()).getLong();
                        rec.record(log.get(i), now);
                        received.incrementAndGet();
                    }
                }
            }, "bench-kafka-reader");
            reader.start();
            long start = System.nanoTime() + 200_000_000L;
            long windowStart = start + warmup.toNanos();
            rec.window(windowStart, windowStart + measured.toNanos());
            long count = (long) (perSecond * (warmup.toNanos() + measured.toNanos()) / 1e9);
            Pacer.run(start, perSecond, count, (i, due) -> {
                log.set(i, due);
                producer.send(new ProducerRecord<>(in, key(i), record(i)));
            });
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (received.get() < count && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            running.set(false);
            reader.join(5_000);
        }
        return rec;
    }

    /**
     * Waits until nothing new arrives on {@code out} for {@code quiet} (the pipe has worked off what a saturation run
     * left in {@code in}), at most {@code max}.
     *
     * @return how long it took
     */
    Duration awaitDrained(Duration quiet, Duration max) {
        long begin = System.nanoTime();
        long last = begin;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            while (System.nanoTime() - last < quiet.toNanos() && System.nanoTime() - begin < max.toNanos()) {
                if (!consumer.poll(Duration.ofMillis(100)).isEmpty()) {
                    last = System.nanoTime();
                }
            }
        }
        return Duration.ofNanos(System.nanoTime() - begin);
    }

    /** Records/s at saturation and the watched processes' CPU over the same window. */
    record Saturation(double recordsPerSecond, List<ProcessStats.Delta> cpu, long windowStartNanos, long windowEndNanos) {
    }

    /** Saturation: the producer sends as fast as it can; records/s read from {@code out} in the measured window. */
    double throughput(Duration warmup, Duration measured) throws Exception {
        return throughput(warmup, measured, Map.of()).recordsPerSecond();
    }

    /** {@link #throughput(Duration, Duration)}, and the CPU of {@code processes} over the measured window. */
    Saturation throughput(Duration warmup, Duration measured, Map<String, StatsSource> processes) throws Exception {
        return throughput(warmup, measured, processes, Long.MAX_VALUE);
    }

    /**
     * Like {@link #throughput(Duration, Duration, Map)} with at most {@code maxInFlight} records sent and not yet read
     * back (closed loop): the pipe runs flat out without a backlog piling up in its input.
     */
    Saturation throughput(Duration warmup, Duration measured, Map<String, StatsSource> processes, long maxInFlight) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong inWindow = new AtomicLong();
        AtomicLong read = new AtomicLong();
        long start = System.nanoTime();
        long windowStart = start + warmup.toNanos();
        long windowEnd = windowStart + measured.toNanos();
        var cpu = Window.between(processes, windowStart, windowEnd);
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(); KafkaProducer<byte[], byte[]> producer = producer()) {
            Thread reader = new Thread(() -> {
                while (running.get()) {
                    int n = consumer.poll(Duration.ofMillis(50)).count();
                    read.addAndGet(n);
                    long now = System.nanoTime();
                    if (now >= windowStart && now < windowEnd) {
                        inWindow.addAndGet(n);
                    }
                }
            }, "bench-kafka-reader");
            reader.start();
            for (long i = 0; System.nanoTime() < windowEnd; i++) {
                while (i - read.get() >= maxInFlight && System.nanoTime() < windowEnd) {
                    Thread.onSpinWait();
                    java.util.concurrent.locks.LockSupport.parkNanos(100_000);
                }
                producer.send(new ProducerRecord<>(in, key(i), record(i)));
            }
            running.set(false);
            reader.join(5_000);
        }
        return new Saturation(inWindow.get() / (measured.toNanos() / 1e9), cpu.get(), windowStart, windowEnd);
    }
}
