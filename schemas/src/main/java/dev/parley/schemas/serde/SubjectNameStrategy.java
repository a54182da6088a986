package dev.parley.schemas.serde;

import org.apache.avro.Schema;

/** How a subject name is derived, with Confluent's strategy names. TopicNameStrategy is the default. */
public enum SubjectNameStrategy {
    /** {@code <topic>-key} / {@code <topic>-value}. */
    TOPIC,
    /** The record's full name. */
    RECORD,
    /** {@code <topic>-<record full name>}. */
    TOPIC_RECORD;

    public String subject(String topic, boolean isKey, Schema schema) {
        return switch (this) {
            case TOPIC -> topic + (isKey ? "-key" : "-value");
            case RECORD -> schema.getFullName();
            case TOPIC_RECORD -> topic + "-" + schema.getFullName();
        };
    }

    /** Accepts Confluent's class names ({@code io.confluent.kafka.serializers.subject.TopicNameStrategy}) or short names. */
    public static SubjectNameStrategy parse(String value) {
        if (value == null || value.isBlank()) {
            return TOPIC;
        }
        String simple = value.substring(value.lastIndexOf('.') + 1);
        return switch (simple) {
            case "TopicNameStrategy" -> TOPIC;
            case "RecordNameStrategy" -> RECORD;
            case "TopicRecordNameStrategy" -> TOPIC_RECORD;
            default -> throw new IllegalArgumentException("unsupported subject name strategy '" + value
                    + "'; use TopicNameStrategy, RecordNameStrategy or TopicRecordNameStrategy");
        };
    }
}
