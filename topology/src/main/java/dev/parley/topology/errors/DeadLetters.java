package dev.parley.topology.errors;

import dev.parley.avro.dlq.DeadLetter;
import dev.parley.schemas.serde.SerdeException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Locale;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Builds dead-letter records: the original bytes, where they came from and why they could not be
 * processed. Processors forward them to the dead-letter sink, so they commit in the same transaction as
 * everything else (a record is either processed or dead-lettered, never both, never neither).
 */
public final class DeadLetters {

    /** Where a record failed. */
    public enum Stage { DESERIALIZATION, PROCESSING }

    private final String application;

    public DeadLetters(String application) {
        this.application = application;
    }

    public DeadLetter letter(ProcessorContext<?, ?> context, long timestamp, byte[] key, byte[] value, Stage stage, Throwable error) {
        RecordMetadata md = context.recordMetadata().orElse(null);
        return DeadLetter.newBuilder()
                .setTopic(md == null ? "" : md.topic())
                .setPartition(md == null ? -1 : md.partition())
                .setOffset(md == null ? -1 : md.offset())
                .setRecordTimestamp(Instant.ofEpochMilli(Math.max(0, timestamp)))
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setValue(value == null ? null : ByteBuffer.wrap(value))
                .setStage(stage.name().toLowerCase(Locale.ROOT))
                .setReason(reason(error))
                .setErrorClass(error == null ? null : error.getClass().getName())
                .setApplication(application)
                .setDeadLetteredAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
                .build();
    }

    /**
     * True when a decoding failure is the record's fault (dead-letter it); false when it is transient, e.g.
     * the schema registry is unreachable: then the caller must fail so the record is retried, not dropped.
     */
    public static boolean isPoison(RuntimeException e) {
        return !(e instanceof SerdeException se) || se.reason().isPoison();
    }

    private static String reason(Throwable error) {
        if (error == null) {
            return "unknown";
        }
        String m = error.getMessage();
        return m == null ? error.getClass().getSimpleName() : m;
    }
}
