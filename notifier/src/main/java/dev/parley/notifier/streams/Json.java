package dev.parley.notifier.streams;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * JSON for the notifier's internal values (store values and its internal topics): they never leave the
 * notifier and are rebuilt from the log when need be, so they go through no registry; unknown fields are
 * ignored, so a later release can add fields.
 */
public final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Json() {
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T read(byte[] bytes, Class<T> type) {
        if (bytes == null) {
            return null;
        }
        try {
            return MAPPER.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a " + type.getSimpleName() + " of the notifier's state", e);
        }
    }

    public static <T> Serde<T> serde(Class<T> type) {
        Serializer<T> ser = (topic, v) -> v == null ? null : write(v);
        Deserializer<T> de = (topic, b) -> read(b, type);
        return org.apache.kafka.common.serialization.Serdes.serdeFrom(ser, de);
    }
}
