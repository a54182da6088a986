package dev.parley.notifier.delivery;

import dev.parley.avro.notify.Notification;
import dev.parley.avro.notify.NotificationDeadLetter;
import dev.parley.schemas.serde.SerdeException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes notifications ({@code read_committed}: only those the Streams application committed) and delivers
 * each to every endpoint. A record's offset is committed only once every endpoint accepted it or it was
 * dead-lettered, and the dead letters are written <em>in the same transaction</em> as the offsets that move
 * past them. A crash therefore redelivers the notification with the same id, and never both delivers and
 * dead-letters it for the same endpoint under two different commits. Deliveries run concurrently (up to
 * {@code maxInFlight} records); a record being retried holds back the offsets after it ({@link OffsetTracker})
 * and, once the limit is reached, the consumer pauses: the topic is the buffer, memory stays bounded.
 */
public final class DeliveryWorker implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);

    private final String topic;
    private final String deadLetterTopic;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, NotificationDeadLetter> producer;
    private final Deserializer<Notification> decoder;
    private final List<EndpointDelivery> endpoints;
    private final int maxInFlight;
    private final Duration commitInterval;
    private final Clock clock;
    private final OffsetTracker<TopicPartition, NotificationDeadLetter> tracker = new OffsetTracker<>();
    private final ConcurrentLinkedQueue<Done> finished = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean healthy = true;
    private volatile int inFlight;

    private record Done(TopicPartition partition, long offset, List<NotificationDeadLetter> letters) {
    }

    /**
     * @param consumer a read_committed consumer of the notifications topic in the delivery group, auto-commit off
     * @param producer a transactional producer (initTransactions not yet called) for the dead-letter topic
     */
    public DeliveryWorker(String topic, String deadLetterTopic, KafkaConsumer<String, byte[]> consumer,
                          KafkaProducer<String, NotificationDeadLetter> producer, Deserializer<Notification> decoder,
                          List<EndpointDelivery> endpoints, int maxInFlight, Duration commitInterval, Clock clock) {
        this.topic = topic;
        this.deadLetterTopic = deadLetterTopic;
        this.consumer = consumer;
        this.producer = producer;
        this.decoder = decoder;
        this.endpoints = List.copyOf(endpoints);
        this.maxInFlight = maxInFlight;
        this.commitInterval = commitInterval;
        this.clock = clock;
    }

    /** Notifications being delivered right now. */
    public int inFlight() {
        return inFlight;
    }

    public boolean isHealthy() {
        return healthy;
    }

    @Override
    public void run() {
        try {
            producer.initTransactions();
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    collectFinished();
                    commit();
                    tracker.forget(partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    LOG.info("delivering notifications of {}", partitions);
                }
            });
            long lastCommit = 0;
            boolean paused = false;
            while (!closing.get()) {
                org.apache.kafka.clients.consumer.ConsumerRecords<String, byte[]> records;
                try {
                    records = consumer.poll(Duration.ofMillis(100));
                } catch (WakeupException e) {
                    break; // close()
                }
                for (ConsumerRecord<String, byte[]> r : records) {
                    start(r);
                }
                collectFinished();
                inFlight = tracker.inFlight();
                if (!paused && inFlight >= maxInFlight) {
                    consumer.pause(consumer.assignment());
                    paused = true;
                } else if (paused && inFlight < maxInFlight / 2) {
                    consumer.resume(consumer.paused());
                    paused = false;
                }
                long now = System.nanoTime();
                if (now - lastCommit >= commitInterval.toNanos()) {
                    commit();
                    lastCommit = now;
                }
            }
            collectFinished();
            commit();
        } catch (KafkaException e) {
            healthy = false;
            LOG.error("the notification delivery worker stopped: {}", e.toString(), e);
        } finally {
            try {
                consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
            } finally {
                producer.close(Duration.ofSeconds(5));
                stopped.countDown();
            }
        }
    }

    private void start(ConsumerRecord<String, byte[]> r) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        Notification n;
        try {
            n = decoder.deserialize(r.topic(), r.value());
        } catch (SerdeException e) {
            if (!e.reason().isPoison()) {
                throw new KafkaException("cannot decode notifications now (will retry after a restart): " + e.getMessage(), e);
            }
            LOG.warn("skipping an undecodable notification at {}@{}: {}", tp, r.offset(), e.getMessage());
            tracker.started(tp, r.offset());
            tracker.completed(tp, r.offset(), List.of());
            return;
        }
        if (n == null) {
            tracker.started(tp, r.offset());
            tracker.completed(tp, r.offset(), List.of());
            return;
        }
        tracker.started(tp, r.offset());
        byte[] body = WebhookBody.bytes(n);
        List<CompletableFuture<Outcome>> outcomes = new ArrayList<>(endpoints.size());
        for (EndpointDelivery e : endpoints) {
            outcomes.add(e.deliver(n, body));
        }
        CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).whenComplete((ignored, error) -> {
            if (error != null) {
                return; // cancelled: the worker is closing, the record is redelivered
            }
            List<NotificationDeadLetter> letters = new ArrayList<>();
            for (CompletableFuture<Outcome> f : outcomes) {
                Outcome o = f.join();
                if (!o.delivered()) {
                    letters.add(letter(n, o));
                }
            }
            finished.add(new Done(tp, r.offset(), letters));
        });
    }

    private NotificationDeadLetter letter(Notification n, Outcome o) {
        return NotificationDeadLetter.newBuilder()
                .setNotification(n)
                .setEndpoint(o.endpoint())
                .setAttempts(o.attempts())
                .setReason(o.reason())
                .setLastStatus(o.last().status() < 0 ? null : o.last().status())
                .setFirstAttemptAt(Instant.ofEpochMilli(o.firstAttemptAt()))
                .setDeadLetteredAt(Instant.ofEpochMilli(clock.millis()))
                .build();
    }

    private void collectFinished() {
        Done d;
        while ((d = finished.poll()) != null) {
            tracker.completed(d.partition(), d.offset(), d.letters());
        }
    }

    /** One transaction: the dead letters of the records the offsets move past, and those offsets. */
    private void commit() {
        var committable = tracker.drain();
        if (committable.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        committable.offsets().forEach((tp, next) -> offsets.put(tp, new OffsetAndMetadata(next)));
        producer.beginTransaction();
        for (NotificationDeadLetter l : committable.leftovers()) {
            producer.send(new ProducerRecord<>(deadLetterTopic, l.getNotification().getUser(), l));
        }
        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
        producer.commitTransaction();
    }

    /** Stops polling, commits what is done, and leaves in-flight deliveries to be redelivered after a restart. */
    @Override
    public void close() {
        if (closing.compareAndSet(false, true)) {
            consumer.wakeup();
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for {@link #run()} to end (after {@link #close()} or a fatal error). */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }
}
