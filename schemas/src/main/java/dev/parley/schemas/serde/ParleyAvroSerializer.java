package dev.parley.schemas.serde;

import dev.parley.schemas.registry.RegisteredSchema;
import dev.parley.schemas.registry.RegistryException;
import dev.parley.schemas.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records in the Confluent Schema Registry wire format, byte-compatible with Confluent's
 * {@code KafkaAvroSerializer}. The schema id is looked up once per schema and cached; the registry is
 * never called per record.
 */
public class ParleyAvroSerializer<T extends GenericContainer> implements Serializer<T> {

    private record Target(int id, Schema writerSchema, boolean convert) {
    }

    private SerdeConfig config;
    private SchemaRegistryClient registry;
    private boolean isKey;
    private final Map<String, Map<Schema, Target>> targets = new ConcurrentHashMap<>();
    private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();

    /** For Kafka's reflective instantiation; {@link #configure} must follow. */
    public ParleyAvroSerializer() {
    }

    public ParleyAvroSerializer(SchemaRegistryClient registry, SerdeConfig config, boolean isKey) {
        this.registry = registry;
        this.config = config;
        this.isKey = isKey;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.config = SerdeConfig.parse(configs);
        this.registry = RegistryClients.forConfig(config);
        this.isKey = isKey;
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        Schema schema = record.getSchema();
        Target target = targets.computeIfAbsent(topic, t -> new ConcurrentHashMap<>())
                .computeIfAbsent(schema, s -> resolveTarget(topic, s));
        Object datum = target.convert() ? convert(record, schema, target.writerSchema()) : record;
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            out.write(new byte[WireFormat.HEADER_SIZE]);
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer(target.writerSchema(), datum).write(datum, encoder);
            encoder.flush();
            byte[] bytes = out.toByteArray();
            WireFormat.writeHeader(bytes, target.id());
            return bytes;
        } catch (IOException | RuntimeException e) {
            throw new SerdeException(SerdeException.Reason.SCHEMA_REJECTED, "could not serialize a "
                    + schema.getFullName() + " for " + topic + ": " + e.getMessage(), e);
        }
    }

    private Target resolveTarget(String topic, Schema schema) {
        String subject = config.strategy(isKey).subject(topic, isKey, schema);
        try {
            if (config.useLatestVersion()) {
                RegisteredSchema latest = registry.latest(subject);
                return new Target(latest.id(), latest.schema(), !latest.schema().equals(schema));
            }
            if (config.autoRegister()) {
                return new Target(registry.register(subject, schema), schema, false);
            }
            return new Target(registry.lookup(subject, schema).id(), schema, false);
        } catch (RegistryException e) {
            SerdeException.Reason reason = e.isTransient() ? SerdeException.Reason.REGISTRY_UNAVAILABLE : SerdeException.Reason.SCHEMA_REJECTED;
            throw new SerdeException(reason, "schema registry refused " + schema.getFullName() + " for subject "
                    + subject + ": " + e.getMessage(), e);
        }
    }

    /** Re-expresses a record in another (compatible) schema by writing it and reading it back resolved. */
    private Object convert(Object record, Schema from, Schema to) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer(from, record).write(record, encoder);
            encoder.flush();
            return new GenericDatumReader<>(from, to).read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        } catch (IOException | RuntimeException e) {
            throw new SerdeException(SerdeException.Reason.SCHEMA_REJECTED, "record of " + from.getFullName()
                    + " cannot be written with the subject's latest schema: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private DatumWriter<Object> writer(Schema schema, Object datum) {
        return writers.computeIfAbsent(schema, s -> datum instanceof SpecificRecord
                ? (DatumWriter<Object>) (DatumWriter<?>) new SpecificDatumWriter<>(s)
                : new GenericDatumWriter<>(s));
    }
}
