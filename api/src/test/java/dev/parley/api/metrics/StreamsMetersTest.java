package dev.parley.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.Metrics;
import org.junit.jupiter.api.Test;

/**
 * Kafka's own metrics registry (what KafkaStreams#metrics returns entries of), bound to a Micrometer registry. The
 * store's uncommitted-bytes gauge crashed a topology JVM when Micrometer's binder read it during a rebalance; here
 * it counts its reads, and none may happen.
 */
class StreamsMetersTest {

    private final Metrics kafka = new Metrics();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicLong uncommittedReads = new AtomicLong();

    private MetricName name(String name, String group, String... tags) {
        Map<String, String> t = new java.util.LinkedHashMap<>();
        for (int i = 0; i < tags.length; i += 2) {
            t.put(tags[i], tags[i + 1]);
        }
        return kafka.metricName(name, group, "", t);
    }

    @Test
    void bindsNumbersAsMicrometerNamesThemNeverReadsUncommittedBytesAndFollowsMetricsThatComeAndGo() {
        org.apache.kafka.common.metrics.Sensor process = kafka.sensor("process");
        process.add(name("process-total", "stream-thread-metrics", "thread-id", "t1"), new org.apache.kafka.common.metrics.stats.CumulativeCount());
        for (int i = 0; i < 41; i++) {
            process.record();
        }
        kafka.addMetric(name("commit-latency-avg", "stream-thread-metrics", "thread-id", "t1"), (Measurable) (c, now) -> 12.5);
        kafka.addMetric(name("uncommitted-bytes", "stream-state-metrics", "rocksdb-state-id", "channel-state"),
                (org.apache.kafka.common.metrics.Gauge<Long>) (c, now) -> uncommittedReads.incrementAndGet());
        kafka.addMetric(name("version", "app-info", "client-id", "c"), (org.apache.kafka.common.metrics.Gauge<String>) (c, now) -> "4.4.0");

        org.apache.kafka.common.metrics.Sensor failures = kafka.sensor("failed");
        failures.add(name("failed-stream-threads", "stream-metrics"), new org.apache.kafka.common.metrics.stats.CumulativeSum());
        failures.record(2);

        StreamsMeters meters = new StreamsMeters(kafka::metrics, registry, Duration.ofHours(1), "test-meters");
        FunctionCounter total = registry.get("kafka.stream.thread.process.total").tag("thread-id", "t1").functionCounter();
        process.record();
        assertThat(total.count()).isEqualTo(42);
        assertThat(registry.get("kafka.stream.thread.commit.latency.avg").gauge().value()).isEqualTo(12.5);
        assertThat(registry.get("kafka.stream.failed.stream.threads").functionCounter().count())
                .as("a cumulative sum is a counter, as Micrometer's binder makes it (kafka_stream_failed_stream_threads_total)").isEqualTo(2);
        assertThat(registry.find("kafka.stream.state.uncommitted.bytes").meters()).isEmpty();
        assertThat(registry.find("kafka.app.info.version").meters()).as("not a number").isEmpty();

        // a task's metrics come with an assignment and go with the next one
        MetricName task = name("process-rate", "stream-task-metrics", "task-id", "0_1");
        kafka.addMetric(task, (Measurable) (c, now) -> 3.0);
        meters.refresh();
        assertThat(registry.get("kafka.stream.task.process.rate").gauge().value()).isEqualTo(3.0);
        kafka.removeMetric(task);
        meters.refresh();
        assertThat(registry.find("kafka.stream.task.process.rate").meters()).isEmpty();

        registry.getMeters().forEach(m -> m.measure().forEach(ms -> ms.getValue())); // a scrape
        meters.close();
        assertThat(registry.find("kafka.stream.thread.process.total").meters()).as("removed at close").isEmpty();
        assertThat(uncommittedReads.get()).as("the uncommitted-bytes gauge was never read").isZero();
        assertThat(registry.getMeters()).noneMatch(m -> m.getId().getName().contains("uncommitted"));
        Gauge none = registry.find("kafka.stream.thread.commit.latency.avg").gauge();
        assertThat(none).isNull();
    }
}
