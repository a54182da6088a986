package dev.parley.schemas.serde;

import dev.parley.schemas.registry.RegistryException;
import dev.parley.schemas.registry.SchemaRegistryClient;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads records in the Confluent Schema Registry wire format. The writer schema comes from the registry
 * by the id in the header (cached); the record is resolved to the reader schema of the target class, so
 * records written with older or newer compatible schema versions decode. Every failure is a typed
 * {@link SerdeException} saying whether the record is poison or the registry is unavailable.
 */
public class ParleyAvroDeserializer<T> implements Deserializer<T> {

    private SchemaRegistryClient registry;
    private SerdeConfig config;
    private Schema readerSchema;
    private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();

    /** For Kafka's reflective instantiation; {@link #configure} must follow. */
    public ParleyAvroDeserializer() {
    }

    /**
     * @param readerClass generated class to decode into, or null for generic records (or the class named by
     *                    the writer schema when {@code specific.avro.reader=true})
     */
    public ParleyAvroDeserializer(SchemaRegistryClient registry, SerdeConfig config, Class<? extends SpecificRecord> readerClass) {
        this.registry = registry;
        this.config = config;
        this.readerSchema = readerClass == null ? null : SpecificData.get().getSchema(readerClass);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.config = SerdeConfig.parse(configs);
        this.registry = RegistryClients.forConfig(config);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        int id = WireFormat.schemaId(topic, data);
        DatumReader<T> reader = readers.computeIfAbsent(id, i -> newReader(topic, i));
        try {
            return reader.read(null, DecoderFactory.get().binaryDecoder(data, WireFormat.HEADER_SIZE,
                    data.length - WireFormat.HEADER_SIZE, null));
        } catch (IOException | RuntimeException e) {
            throw new SerdeException(SerdeException.Reason.UNDECODABLE, "record on " + topic + " with schema id " + id
                    + " does not decode: " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private DatumReader<T> newReader(String topic, int id) {
        Schema writer;
        try {
            writer = registry.schemaById(id);
        } catch (RegistryException e) {
            if (e.isNotFound()) {
                throw new SerdeException(SerdeException.Reason.UNKNOWN_SCHEMA_ID, "record on " + topic
                        + " names schema id " + id + ", which the schema registry does not know", e);
            }
            throw new SerdeException(SerdeException.Reason.REGISTRY_UNAVAILABLE, "schema id " + id
                    + " could not be fetched from the schema registry: " + e.getMessage(), e);
        }
        Schema reader = readerSchema;
        if (reader == null && config.specificReader()) {
            Class<?> c = SpecificData.get().getClass(writer);
            reader = c == null ? null : SpecificData.get().getSchema(c);
        }
        if (reader == null) {
            return new GenericDatumReader<>(writer);
        }
        return new SpecificDatumReader<>(writer, reader);
    }
}
