package dev.parley.ops.bench;

import dev.parley.avro.event.ChannelEvent;
import dev.parley.gateway.hub.CatchUp;
import dev.parley.gateway.hub.DeliveryConfig;
import dev.parley.gateway.hub.Hub;
import dev.parley.gateway.hub.RecentMemberships;
import dev.parley.ops.broker.BrokerSettings;
import dev.parley.ops.broker.EmbeddedKafkaBroker;
import dev.parley.schemas.serde.ParleyAvroSerde;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What one gateway's log tail costs per committed event, in CPU of the thread that reads the log (issue 15's
 * capacity model, docs/scaling.md): today every gateway reads every partition of {@code parley.log}, so this is a
 * per-gateway ceiling on the log's total event rate. Four stages, each repeated:
 * <ol>
 *   <li><b>decode</b>: Parley's Avro serde decodes pre-encoded events (no Kafka);</li>
 *   <li><b>decode+hub</b>: the same, each event then handed to a gateway {@link Hub} with no connection following
 *   its channel (what a gateway does with most events when it reads every partition), {@code endOfRead} every
 *   2,000 events like the tail's polls;</li>
 *   <li><b>produce</b> (with a broker): the events are written to an embedded broker in transactions with lz4, like
 *   the topology's; the producer's threads are measured, and beside them the rest of the process (the broker);</li>
 *   <li><b>tail</b>: a consumer configured like the gateway's {@code LogTail} (read_committed, every partition,
 *   {@code max.poll.records} 2000) reads them back into such a hub; bytes fetched from the consumer's metrics, and
 *   the rest of the process's CPU (the broker serving the fetches).</li>
 * </ol>
 * Events per core-second = events / CPU time of the measuring thread (not wall time), so a busy machine stretches
 * the run but moves the number less. Run it after a build ({@code ./parley bench --help} builds) with
 * {@code java -Xms256m -Xmx1g -Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.parley,java.lang,java.util,java.math,java.time
 * -cp "ops/target/classes:ops/target/lib/*" dev.parley.ops.bench.LogTailCost} (the gateway's heap and trusted Avro
 * packages); it is not part of {@code mvn verify} or {@code parley bench}.
 */
@Command(name = "log-tail-cost", mixinStandardHelpOptions = true,
        description = "CPU per committed log event of one gateway's log tail (decode, hand-over to the hub, fetch).")
public final class LogTailCost implements Callable<Integer> {

    /** One measured pass: events handled, CPU of the measuring thread, wall time, bytes read. */
    record Stage(String name, long events, long cpuNanos, long wallNanos, long bytes, long otherCpuNanos) {
        double eventsPerCoreSecond() {
            return events * 1e9 / cpuNanos;
        }

        double microsPerEvent() {
            return cpuNanos / 1e3 / events;
        }
    }

    @Option(names = "--events", defaultValue = "200000", description = "Events per pass. Default: ${DEFAULT-VALUE}")
    int events;
    @Option(names = "--channels", defaultValue = "1000", description = "Channels they are spread over. Default: ${DEFAULT-VALUE}")
    int channels;
    @Option(names = "--rounds", defaultValue = "5", description = "Passes of each stage. Default: ${DEFAULT-VALUE}")
    int rounds;
    @Option(names = "--partitions", defaultValue = "12", description = "Partitions of the log. Default: ${DEFAULT-VALUE}")
    int partitions;
    @Option(names = "--per-transaction", defaultValue = "500",
            description = "Events per producer transaction. Default: ${DEFAULT-VALUE}")
    int perTransaction;
    @Option(names = "--work-dir", defaultValue = "target/log-tail-cost", description = "The broker's data. Default: ${DEFAULT-VALUE}")
    Path workDir;
    @Option(names = "--[no-]broker", defaultValue = "true", negatable = true, description = "--no-broker skips the tail stage.")
    boolean broker;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LogTailCost()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        List<ChannelEvent> sample = SampleLog.messages(events, channels, BenchContext.TEXT);
        ParleyAvroSerde<ChannelEvent> serde = SampleLog.serde();
        List<byte[]> encoded = SampleLog.encode(serde, sample);
        long bytes = encoded.stream().mapToLong(b -> b.length).sum();
        System.out.printf("log-tail-cost: %,d events over %,d channels, %.0f bytes per encoded value; load average %.2f%n",
                events, channels, (double) bytes / events, os.getSystemLoadAverage());
        System.out.println("| stage | round | events | CPU of the reading thread, or the producer's threads (s) | wall (s) "
                + "| events per core-second | µs per event | bytes read or written per event (uncompressed) "
                + "| other threads' µs per event (the broker serving it, GC, JIT) | load average |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (int r = 1; r <= rounds; r++) {
            print(decode("decode", serde.deserializer(), encoded, e -> { }), r, os);
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            for (int r = 1; r <= rounds; r++) {
                Hub hub = idleHub(timer);
                print(decode("decode+hub", serde.deserializer(), encoded, every(2000, hub)), r, os);
            }
            if (broker) {
                Files.createDirectories(workDir);
                Path data = Files.createTempDirectory(workDir, "broker");
                try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(BrokerSettings.ephemeral(data))) {
                    createLog(kafka.bootstrapServers(), partitions);
                    for (int r = 1; r <= rounds; r++) {
                        print(produce(kafka.bootstrapServers(), sample, encoded, perTransaction), r, os);
                    }
                    for (int r = 1; r <= rounds; r++) {
                        Hub hub = idleHub(timer);
                        print(tail("tail+hub", kafka.bootstrapServers(), serde.deserializer(), events, hub::publish, hub::endOfRead), r, os);
                    }
                }
            }
        } finally {
            timer.shutdownNow();
        }
        return 0;
    }

    private static void print(Stage s, int round, OperatingSystemMXBean os) {
        System.out.printf("| %s | %d | %,d | %.3f | %.3f | %,.0f | %.2f | %s | %s | %.2f |%n", s.name(), round, s.events(),
                s.cpuNanos() / 1e9, s.wallNanos() / 1e9, s.eventsPerCoreSecond(), s.microsPerEvent(),
                s.bytes() > 0 ? String.format("%.0f", (double) s.bytes() / s.events()) : "-",
                s.otherCpuNanos() > 0 ? String.format("%.2f", s.otherCpuNanos() / 1e3 / s.events()) : "-",
                os.getSystemLoadAverage());
    }

    /** A gateway hub with no connection: every event is for a channel no local connection follows. */
    static Hub idleHub(ScheduledExecutorService timer) {
        // The catch-up is never scheduled: it runs only for a connection's stream.
        return new Hub(new CatchUp(null, timer, 1000, 10_000, CatchUp.Listener.NONE),
                new RecentMemberships(Duration.ofMinutes(5), Clock.systemUTC()), DeliveryConfig.defaults(), timer,
                () -> System.nanoTime() / 1_000_000);
    }

    /** Hands every event to the hub, and tells it a read of the log ended every {@code n} events. */
    static Consumer<ChannelEvent> every(int n, Hub hub) {
        int[] count = {0};
        return e -> {
            hub.publish(e);
            if (++count[0] % n == 0) {
                hub.endOfRead();
            }
        };
    }

    /** Decodes every value on this thread and hands it to {@code sink}; no Kafka. */
    static Stage decode(String name, Deserializer<ChannelEvent> deserializer, List<byte[]> encoded, Consumer<ChannelEvent> sink) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long wall = System.nanoTime();
        long cpu = threads.getCurrentThreadCpuTime();
        for (byte[] value : encoded) {
            sink.accept(deserializer.deserialize(SampleLog.TOPIC, value));
        }
        return new Stage(name, encoded.size(),
                threads.getCurrentThreadCpuTime() - cpu, System.nanoTime() - wall, 0, 0);
    }

    static void createLog(String bootstrap, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(SampleLog.TOPIC, partitions, (short) 1))).all().get();
        }
    }

    /**
     * Writes the events keyed by channel in transactions of {@code perTransaction}, lz4, like the topology; measures
     * the client (this thread and the producer's I/O thread) and, beside it, the rest of the process (the broker).
     */
    static Stage produce(String bootstrap, List<ChannelEvent> events, List<byte[]> encoded, int perTransaction) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "log-tail-cost");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // The topology's backoff: a transaction's first write to a partition whose last markers are still being
        // written is refused (CONCURRENT_TRANSACTIONS) and retried; the default backoff makes loading slow.
        p.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 5);
        p.put(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 50);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long wall = System.nanoTime();
            long process = processCpuNanos();
            long client = threads.getCurrentThreadCpuTime() + producerIoCpuNanos(threads);
            for (int i = 0; i < events.size(); i += perTransaction) {
                producer.beginTransaction();
                for (int j = i; j < Math.min(events.size(), i + perTransaction); j++) {
                    producer.send(new ProducerRecord<>(SampleLog.TOPIC, events.get(j).getChannel(), encoded.get(j)));
                }
                producer.commitTransaction();
            }
            long clientNanos = threads.getCurrentThreadCpuTime() + producerIoCpuNanos(threads) - client;
            long otherNanos = processCpuNanos() - process - clientNanos;
            return new Stage("produce", events.size(), clientNanos, System.nanoTime() - wall,
                    encoded.stream().mapToLong(v -> v.length).sum(), otherNanos);
        }
    }

    /**
     * Reads {@code expected} events from the start of every partition of the log, as the gateway's tail does from
     * its end, handing each to {@code sink} and calling {@code afterRead} after each poll; measures this thread.
     */
    static Stage tail(String name, String bootstrap, Deserializer<ChannelEvent> deserializer, long expected, Consumer<ChannelEvent> sink,
                      Runnable afterRead) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (KafkaConsumer<String, ChannelEvent> consumer = new KafkaConsumer<>(c, new StringDeserializer(), deserializer)) {
            List<TopicPartition> tps = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(SampleLog.TOPIC)) {
                tps.add(new TopicPartition(p.topic(), p.partition()));
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            long wall = System.nanoTime();
            long process = processCpuNanos();
            long cpu = threads.getCurrentThreadCpuTime();
            long seen = 0;
            long deadline = wall + Duration.ofMinutes(5).toNanos();
            while (seen < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, ChannelEvent> r : consumer.poll(Duration.ofMillis(100))) {
                    if (r.value() != null) {
                        seen++;
                        sink.accept(r.value());
                    }
                }
                afterRead.run();
            }
            long cpuNanos = threads.getCurrentThreadCpuTime() - cpu;
            long otherNanos = processCpuNanos() - process - cpuNanos;
            long wallNanos = System.nanoTime() - wall;
            return new Stage(name, seen, cpuNanos, wallNanos, bytesConsumed(consumer.metrics()), otherNanos);
        }
    }

    /** CPU time of the producers' I/O threads in this JVM. */
    private static long producerIoCpuNanos(ThreadMXBean threads) {
        long sum = 0;
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("kafka-producer-network-thread")) {
                sum += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return sum;
    }

    /** This JVM's CPU time: in the tail stage, beside the reading thread, mostly the embedded broker serving it. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long bytesConsumed(Map<MetricName, ? extends Metric> metrics) {
        return metrics.entrySet().stream()
                .filter(e -> e.getKey().name().equals("bytes-consumed-total")
                        && e.getKey().group().equals("consumer-fetch-manager-metrics")
                        && !e.getKey().tags().containsKey("topic"))
                .mapToLong(e -> ((Number) e.getValue().metricValue()).longValue())
                .findFirst().orElse(0);
    }
}
