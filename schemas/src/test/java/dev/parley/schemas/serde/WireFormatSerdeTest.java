package dev.parley.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.event.EventKind;
import dev.parley.avro.event.MessagePosted;
import dev.parley.schemas.registry.InMemorySchemaRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WireFormatSerdeTest {

    private final String scope = "wire-" + UUID.randomUUID();
    private final Map<String, Object> config = SerdeConfig.forUrl("mock://" + scope);

    @AfterEach
    void dropScope() {
        InMemorySchemaRegistry.dropScope(scope);
    }

    @Test
    void writesMagicByteSchemaIdAndAvroBody() {
        var serde = ParleyAvroSerde.forValue(ChannelEvent.class, config);
        byte[] bytes = serde.serializer().serialize("parley.log", Fixtures.message("general", 7, "hello"));

        int id = InMemorySchemaRegistry.forScope(scope).latest("parley.log-value").id();
        assertThat(bytes[0]).isEqualTo((byte) 0);
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
        ChannelEvent back = serde.deserializer().deserialize("parley.log", bytes);
        assertThat(back).isEqualTo(Fixtures.message("general", 7, "hello"));
        assertThat(((MessagePosted) back.getPayload()).getText()).isEqualTo("hello");
    }

    @Test
    void registersOncePerSchemaNotPerRecord() {
        var serde = ParleyAvroSerde.forValue(ChannelEvent.class, config);
        for (int i = 1; i <= 50; i++) {
            serde.serializer().serialize("parley.log", Fixtures.message("c", i, "t" + i));
        }
        var registry = InMemorySchemaRegistry.forScope(scope);
        assertThat(registry.subjects()).containsExactly("parley.log-value");
        assertThat(registry.latest("parley.log-value").version()).isEqualTo(1);
    }

    @Test
    void subjectFollowsTopicNameStrategyForKeysAndValuesAndRecordNameOnRequest() {
        Map<String, Object> byRecord = new HashMap<>(config);
        byRecord.put(SerdeConfig.VALUE_SUBJECT_NAME_STRATEGY, "io.confluent.kafka.serializers.subject.RecordNameStrategy");
        ParleyAvroSerde.forValue(ChannelEvent.class, byRecord).serializer().serialize("parley.log", Fixtures.message("c", 1, "x"));
        ParleyAvroSerde.of(ChannelEvent.class, config, true).serializer().serialize("parley.log", Fixtures.message("c", 1, "x"));

        assertThat(InMemorySchemaRegistry.forScope(scope).subjects())
                .containsExactlyInAnyOrder("dev.parley.avro.event.ChannelEvent", "parley.log-key");
    }

    @Test
    void refusesBytesThatAreNotInTheWireFormat() {
        var deserializer = ParleyAvroSerde.forValue(ChannelEvent.class, config).deserializer();
        assertThat(deserializer.deserialize("t", null)).isNull();
        assertThatThrownBy(() -> deserializer.deserialize("t", new byte[] {0, 0, 1}))
                .isInstanceOfSatisfying(SerdeException.class, e -> {
                    assertThat(e.reason()).isEqualTo(SerdeException.Reason.NOT_WIRE_FORMAT);
                    assertThat(e.getMessage()).contains("fewer than the 5-byte");
                });
        assertThatThrownBy(() -> deserializer.deserialize("t", "{\"json\":true}".getBytes()))
                .isInstanceOfSatisfying(SerdeException.class, e -> {
                    assertThat(e.reason()).isEqualTo(SerdeException.Reason.NOT_WIRE_FORMAT);
                    assertThat(e.getMessage()).contains("0x7b");
                });
    }

    @Test
    void refusesUnknownSchemaIds() {
        var deserializer = ParleyAvroSerde.forValue(ChannelEvent.class, config).deserializer();
        assertThatThrownBy(() -> deserializer.deserialize("t", new byte[] {0, 0, 0, 0x30, 0x39, 2, 4}))
                .isInstanceOfSatisfying(SerdeException.class, e -> {
                    assertThat(e.reason()).isEqualTo(SerdeException.Reason.UNKNOWN_SCHEMA_ID);
                    assertThat(e.reason().isPoison()).isTrue();
                    assertThat(e.getMessage()).contains("12345");
                });
    }

    @Test
    void refusesBodiesThatDoNotDecode() {
        var serde = ParleyAvroSerde.forValue(ChannelEvent.class, config);
        byte[] good = serde.serializer().serialize("t", Fixtures.message("c", 1, "hello"));
        byte[] truncated = java.util.Arrays.copyOf(good, 9);
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", truncated))
                .isInstanceOfSatisfying(SerdeException.class, e -> assertThat(e.reason()).isEqualTo(SerdeException.Reason.UNDECODABLE));
    }

    @Test
    void unreachableRegistryIsTransientNotPoison() {
        var deserializer = ParleyAvroSerde.forValue(ChannelEvent.class, SerdeConfig.forUrl("http://127.0.0.1:1")).deserializer();
        assertThatThrownBy(() -> deserializer.deserialize("t", new byte[] {0, 0, 0, 0, 1, 2}))
                .isInstanceOfSatisfying(SerdeException.class, e -> {
                    assertThat(e.reason()).isEqualTo(SerdeException.Reason.REGISTRY_UNAVAILABLE);
                    assertThat(e.reason().isPoison()).isFalse();
                });
    }

    @Test
    void readsRecordsWrittenWithAnOlderCompatibleSchema() throws Exception {
        // An older writer that did not have commandId yet: the reader fills its default.
        Schema current = ChannelEvent.getClassSchema();
        Schema older = withoutField(current, "commandId");
        var registry = InMemorySchemaRegistry.forScope(scope);
        int olderId = registry.register("parley.log-value", older);

        GenericRecord rec = new GenericData.Record(older);
        ChannelEvent sample = Fixtures.message("general", 3, "from the past");
        for (Schema.Field f : older.getFields()) {
            rec.put(f.name(), GenericData.get().deepCopy(f.schema(), toGeneric(sample, f.name())));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[5]);
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(older).write(rec, enc);
        enc.flush();
        byte[] bytes = out.toByteArray();
        WireFormat.writeHeader(bytes, olderId);

        ChannelEvent read = ParleyAvroSerde.forValue(ChannelEvent.class, config).deserializer().deserialize("parley.log", bytes);
        assertThat(read.getSeq()).isEqualTo(3);
        assertThat(read.getKind()).isEqualTo(EventKind.MESSAGE);
        assertThat(read.getCommandId()).isNull();
        assertThat(((MessagePosted) read.getPayload()).getText()).isEqualTo("from the past");
    }

    @Test
    void useLatestVersionWritesWithTheSubjectsLatestSchema() {
        Schema current = ChannelEvent.getClassSchema();
        Schema newer = withExtraOptionalField(current, "edited");
        var registry = InMemorySchemaRegistry.forScope(scope);
        registry.register("parley.log-value", current);
        int newerId = registry.register("parley.log-value", newer);

        Map<String, Object> latest = new HashMap<>(config);
        latest.put(SerdeConfig.AUTO_REGISTER_SCHEMAS, "false");
        latest.put(SerdeConfig.USE_LATEST_VERSION, "true");
        var serde = ParleyAvroSerde.forValue(ChannelEvent.class, latest);
        byte[] bytes = serde.serializer().serialize("parley.log", Fixtures.message("c", 9, "latest"));

        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(newerId);
        assertThat(serde.deserializer().deserialize("parley.log", bytes)).isEqualTo(Fixtures.message("c", 9, "latest"));
    }

    @Test
    void withoutAutoRegisterAnUnregisteredSchemaIsRefused() {
        Map<String, Object> noAuto = new HashMap<>(config);
        noAuto.put(SerdeConfig.AUTO_REGISTER_SCHEMAS, "false");
        var serializer = ParleyAvroSerde.forValue(ChannelEvent.class, noAuto).serializer();
        assertThatThrownBy(() -> serializer.serialize("parley.log", Fixtures.message("c", 1, "x")))
                .isInstanceOfSatisfying(SerdeException.class, e -> {
                    assertThat(e.reason()).isEqualTo(SerdeException.Reason.SCHEMA_REJECTED);
                    assertThat(e.getMessage()).contains("parley.log-value");
                });
    }

    private static Object toGeneric(ChannelEvent e, String field) {
        Object v = e.get(field);
        return v instanceof java.time.Instant i ? i.toEpochMilli() : v;
    }

    private static Schema withoutField(Schema record, String name) {
        return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false,
                record.getFields().stream().filter(f -> !f.name().equals(name))
                        .map(f -> new Schema.Field(f, f.schema())).toList());
    }

    private static Schema withExtraOptionalField(Schema record, String name) {
        var fields = new java.util.ArrayList<Schema.Field>();
        record.getFields().forEach(f -> fields.add(new Schema.Field(f, f.schema())));
        fields.add(new Schema.Field(name, Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.BOOLEAN)),
                null, Schema.Field.NULL_DEFAULT_VALUE));
        return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false, fields);
    }
}
