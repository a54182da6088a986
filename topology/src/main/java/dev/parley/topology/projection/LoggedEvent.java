package dev.parley.topology.projection;

import dev.parley.avro.event.ChannelEvent;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * An event of the committed log together with its exact bytes, so projections can store the bytes
 * as they are in the log (no re-encoding) and still look at the decoded event.
 */
public record LoggedEvent(byte[] raw, ChannelEvent event) {

    /** Serde that decodes with {@code events} but keeps the raw bytes; serializing writes the raw bytes back. */
    public static Serde<LoggedEvent> serde(Serde<ChannelEvent> events) {
        Deserializer<ChannelEvent> inner = events.deserializer();
        Serializer<LoggedEvent> ser = (topic, data) -> data == null ? null : data.raw();
        Deserializer<LoggedEvent> de = (topic, data) -> data == null ? null : new LoggedEvent(data, inner.deserialize(topic, data));
        return org.apache.kafka.common.serialization.Serdes.serdeFrom(ser, de);
    }
}
