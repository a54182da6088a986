package dev.parley.schemas.serde;

import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Serializer + deserializer of one generated Avro class in the Schema Registry wire format. */
public final class ParleyAvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final ParleyAvroSerializer<T> serializer;
    private final ParleyAvroDeserializer<T> deserializer;

    private ParleyAvroSerde(ParleyAvroSerializer<T> serializer, ParleyAvroDeserializer<T> deserializer) {
        this.serializer = serializer;
        this.deserializer = deserializer;
    }

    /** A value serde for {@code type}, configured with Confluent-named settings ({@code schema.registry.url}, ...). */
    public static <T extends SpecificRecord> ParleyAvroSerde<T> forValue(Class<T> type, Map<String, ?> configs) {
        return of(type, configs, false);
    }

    public static <T extends SpecificRecord> ParleyAvroSerde<T> of(Class<T> type, Map<String, ?> configs, boolean isKey) {
        SerdeConfig config = SerdeConfig.parse(configs);
        var registry = RegistryClients.forConfig(config);
        return new ParleyAvroSerde<>(new ParleyAvroSerializer<>(registry, config, isKey),
                new ParleyAvroDeserializer<>(registry, config, type));
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }
}
