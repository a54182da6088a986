package dev.parley.ops.bench;

import dev.parley.schemas.config.Env;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * Baseline (2): the least an exactly-once Kafka Streams hop can cost here. The stream threads read the input
 * topic, put each record into one persistent (RocksDB) store and forward it unchanged to the output topic,
 * under exactly_once_v2 with the same commit interval, thread count and producer settings as Parley's topology.
 * Env: PARLEY_BOOTSTRAP_SERVERS, BENCH_PIPE_IN, BENCH_PIPE_OUT, PARLEY_COMMIT_INTERVAL, PARLEY_STATE_DIR.
 */
final class EosPipe implements AutoCloseable {

    static final String STORE = "pipe-store";

    private final KafkaStreams streams;
    private final String applicationId;
    private final Path stateDir;

    private EosPipe(KafkaStreams streams, String applicationId, Path stateDir) {
        this.streams = streams;
        this.applicationId = applicationId;
        this.stateDir = stateDir;
    }

    static Topology topology(String in, String out) {
        Topology t = new Topology();
        t.addSource("in", Serdes.Bytes().deserializer(), Serdes.ByteArray().deserializer(), in);
        t.addProcessor("put", PutAndForward::new, "in");
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.Bytes(), Serdes.ByteArray()), "put");
        t.addSink("out", out, Serdes.Bytes().serializer(), Serdes.ByteArray().serializer(), "put");
        return t;
    }

    static EosPipe start(Env env) throws Exception {
        String app = "bench-pipe-" + System.nanoTime();
        Path state = Files.createTempDirectory("parley-bench-pipe");
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, env.str("PARLEY_BOOTSTRAP_SERVERS", "localhost:9092"));
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
                String.valueOf(env.duration("PARLEY_COMMIT_INTERVAL", Duration.ofMillis(20)).toMillis()));
        // As many stream threads as the topology runs (PARLEY_STREAM_THREADS, same default).
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, String.valueOf(dev.parley.topology.TopologyConfig.fromEnv(env).streamThreads()));
        p.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, "1");
        p.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        p.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), "5");
        p.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG), "50");
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "latest");
        KafkaStreams streams = new KafkaStreams(topology(env.str("BENCH_PIPE_IN", "bench.pipe.in"),
                env.str("BENCH_PIPE_OUT", "bench.pipe.out")), p);
        streams.start();
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("pipe not RUNNING after 120 s: " + streams.state());
            }
            Thread.sleep(50);
        }
        return new EosPipe(streams, app, state);
    }

    String applicationId() {
        return applicationId;
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
        streams.cleanUp();
        try (var files = Files.walk(stateDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (java.io.IOException ignored) {
            // temp dir
        }
    }

    private static final class PutAndForward implements Processor<Bytes, byte[], Bytes, byte[]> {
        private ProcessorContext<Bytes, byte[]> context;
        private KeyValueStore<Bytes, byte[]> store;

        @Override
        public void init(ProcessorContext<Bytes, byte[]> context) {
            this.context = context;
            this.store = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<Bytes, byte[]> record) {
            store.put(record.key(), record.value());
            context.forward(record);
        }
    }
}
