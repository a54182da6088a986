package dev.parley.topology.state;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde for the topology's internal state values: a format-version byte, then Avro binary. Internal state
 * never leaves the topology (it is rebuilt from the log if need be), so it does not go through the schema
 * registry; the version byte lets a later release read values written by this one.
 */
public final class StateSerde<T extends SpecificRecord> implements Serde<T> {

    static final byte FORMAT_V1 = 1;

    private final Schema schema;
    private final SpecificDatumWriter<T> writer;
    private final SpecificDatumReader<T> reader;

    private StateSerde(Class<T> type, Schema schema) {
        this.schema = schema;
        this.writer = new SpecificDatumWriter<>(type);
        this.reader = new SpecificDatumReader<>(type);
    }

    public static <T extends SpecificRecord> StateSerde<T> of(Class<T> type, Schema schema) {
        return new StateSerde<>(type, schema);
    }

    public byte[] toBytes(T value) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(64);
            out.write(FORMAT_V1);
            BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
            writer.write(value, enc);
            enc.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public T fromBytes(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (bytes.length == 0 || bytes[0] != FORMAT_V1) {
            throw new IllegalStateException("unknown state format " + (bytes.length == 0 ? "(empty)" : bytes[0]) + " for " + schema.getFullName());
        }
        try {
            return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, 1, bytes.length - 1, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, data) -> data == null ? null : toBytes(data);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, data) -> fromBytes(data);
    }

    public static final StateSerde<ChannelMeta> CHANNEL_META = of(ChannelMeta.class, ChannelMeta.getClassSchema());
    public static final StateSerde<MemberState> MEMBER = of(MemberState.class, MemberState.getClassSchema());
    public static final StateSerde<MessageOverlay> OVERLAY = of(MessageOverlay.class, MessageOverlay.getClassSchema());
    public static final StateSerde<DedupeEntry> DEDUPE = of(DedupeEntry.class, DedupeEntry.getClassSchema());
    public static final StateSerde<UserChannelState> USER_CHANNEL = of(UserChannelState.class, UserChannelState.getClassSchema());
    public static final StateSerde<UserUpdate> USER_UPDATE = of(UserUpdate.class, UserUpdate.getClassSchema());
}
