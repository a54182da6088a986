package dev.parley.connect.converter;

import dev.parley.connect.avro.AvroConnectData;
import dev.parley.schemas.registry.RegistryException;
import dev.parley.schemas.registry.SchemaRegistryClient;
import dev.parley.schemas.serde.RegistryClients;
import dev.parley.schemas.serde.SerdeConfig;
import dev.parley.schemas.serde.SerdeException;
import dev.parley.schemas.serde.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.storage.Converter;

/**
 * Kafka Connect converter for the Confluent Schema Registry wire format (magic byte 0, 4-byte schema id,
 * Avro binary), the format of Parley's committed log. It talks to any registry with Confluent's REST API
 * (Parley's own, Confluent's, ...) and is configured with Confluent's setting names, e.g.
 * {@code value.converter.schema.registry.url}; see {@link SerdeConfig} for the list.
 *
 * <p>Reading ({@link #toConnectData}): the writer schema is fetched once per schema id and mapped to a Connect
 * schema by {@link AvroConnectData} (records to structs, {@code ["null", T]} to optional fields, timestamps
 * to Connect {@code Timestamp}). No reader schema is imposed: a record written with a newer schema version
 * yields a struct with the newer fields, so a sink with schema evolution adds the columns.
 *
 * <p>Writing ({@link #fromConnectData}): the Avro schema of the Connect schema (the original one for data
 * this converter read) is registered (or, with {@code auto.register.schemas=false}, looked up) under the
 * subject of the configured strategy, then the value is written in the wire format.
 *
 * <p>Failures: bytes that are not in the wire format, name an unknown schema id or do not decode are a
 * {@link DataException} (with {@code errors.tolerance=all} the record goes to the dead-letter queue); a
 * registry that cannot be reached is a {@link RetriableException} (retried for {@code errors.retry.timeout}).
 */
public class ParleyAvroConverter implements Converter {

    private SchemaRegistryClient registry;
    private SerdeConfig config;
    private boolean isKey;
    private final AvroConnectData data = new AvroConnectData();
    private final Map<Integer, org.apache.avro.Schema> writerSchemas = new ConcurrentHashMap<>();
    private final Map<Integer, GenericDatumReader<Object>> readers = new ConcurrentHashMap<>();
    private final Map<String, Map<org.apache.avro.Schema, Integer>> ids = new ConcurrentHashMap<>();

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Map<String, Object> copy = new HashMap<>(configs);
        this.config = SerdeConfig.parse(copy);
        this.registry = RegistryClients.forConfig(config);
        this.isKey = isKey;
    }

    @Override
    public ConfigDef config() {
        return ParleyAvroConverterConfig.DEF;
    }

    @Override
    public SchemaAndValue toConnectData(String topic, byte[] value) {
        if (value == null) {
            return SchemaAndValue.NULL;
        }
        int id;
        try {
            id = WireFormat.schemaId(topic, value);
        } catch (SerdeException e) {
            throw new DataException(e.getMessage(), e);
        }
        org.apache.avro.Schema writer = writerSchema(topic, id);
        Object datum;
        try {
            GenericDatumReader<Object> reader = readers.computeIfAbsent(id, i -> new GenericDatumReader<>(writer));
            datum = reader.read(null, DecoderFactory.get().binaryDecoder(value, WireFormat.HEADER_SIZE,
                    value.length - WireFormat.HEADER_SIZE, null));
        } catch (IOException | RuntimeException e) {
            throw new DataException("record on " + topic + " with schema id " + id + " does not decode: "
                    + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
        Schema schema = data.toConnectSchema(writer);
        return new SchemaAndValue(schema, data.toConnectValue(schema, writer, datum));
    }

    private org.apache.avro.Schema writerSchema(String topic, int id) {
        org.apache.avro.Schema known = writerSchemas.get(id);
        if (known != null) {
            return known;
        }
        try {
            org.apache.avro.Schema fetched = registry.schemaById(id);
            writerSchemas.putIfAbsent(id, fetched);
            return fetched;
        } catch (RegistryException e) {
            if (e.isNotFound()) {
                throw new DataException("record on " + topic + " names schema id " + id
                        + ", which the schema registry does not know", e);
            }
            if (e.isTransient()) {
                throw new RetriableException("schema id " + id + " could not be fetched from the schema registry: "
                        + e.getMessage(), e);
            }
            throw new DataException("schema id " + id + " could not be fetched from the schema registry: " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] fromConnectData(String topic, Schema schema, Object value) {
        if (value == null) {
            return null;
        }
        if (schema == null) {
            throw new DataException("the Avro converter needs a schema; got a schemaless " + value.getClass().getName());
        }
        org.apache.avro.Schema avro = data.toAvroSchema(schema);
        Object datum = data.toAvroValue(schema, avro, value);
        int id = idFor(topic, avro);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            out.write(new byte[WireFormat.HEADER_SIZE]);
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            new GenericDatumWriter<>(avro).write(datum, encoder);
            encoder.flush();
            byte[] bytes = out.toByteArray();
            WireFormat.writeHeader(bytes, id);
            return bytes;
        } catch (IOException | RuntimeException e) {
            throw new DataException("could not write a " + avro.getFullName() + " for " + topic + ": " + e.getMessage(), e);
        }
    }

    private int idFor(String topic, org.apache.avro.Schema avro) {
        return ids.computeIfAbsent(topic, t -> new ConcurrentHashMap<>()).computeIfAbsent(avro, s -> {
            String subject = config.strategy(isKey).subject(topic, isKey, s);
            try {
                return config.autoRegister() ? registry.register(subject, s) : registry.lookup(subject, s).id();
            } catch (RegistryException e) {
                if (e.isTransient()) {
                    throw new RetriableException("schema registry unavailable for subject " + subject + ": " + e.getMessage(), e);
                }
                throw new DataException("schema registry refused " + s.getFullName() + " for subject " + subject + ": " + e.getMessage(), e);
            }
        });
    }
}
