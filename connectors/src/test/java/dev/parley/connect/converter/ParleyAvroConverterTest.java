package dev.parley.connect.converter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.avro.event.ChannelEvent;
import dev.parley.connect.avro.AvroConnectData;
import dev.parley.connect.support.ChannelScript;
import dev.parley.schemas.registry.InMemorySchemaRegistry;
import dev.parley.schemas.serde.ParleyAvroSerde;
import dev.parley.schemas.serde.ParleyAvroSerializer;
import dev.parley.schemas.serde.SerdeConfig;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ParleyAvroConverterTest {

    private static final String TOPIC = "parley.log";

    private final String scope = "converter-test-" + System.nanoTime();
    private final String url = "mock://" + scope;
    private ParleyAvroConverter converter;
    private ParleyAvroSerde<ChannelEvent> serde;

    @BeforeEach
    void setUp() {
        converter = new ParleyAvroConverter();
        converter.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, url), false);
        serde = ParleyAvroSerde.forValue(ChannelEvent.class, Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, url));
    }

    @AfterEach
    void tearDown() {
        InMemorySchemaRegistry.dropScope(scope);
    }

    private static List<ChannelEvent> sampleChannel() {
        ChannelScript c = new ChannelScript("general", Instant.parse("2026-11-20T10:00:00Z"));
        c.create("ada", "General").join("bob");
        long m = c.post("ada", "hello @bob", null, List.of("bob"));
        c.post("bob", "hi", m, List.of());
        c.edit("ada", m, "hello everyone").react("bob", m, ":wave:").delete("ada", m).read("bob", 4).leave("bob");
        return c.events();
    }

    @Test
    void readsChannelEventsAsStructsWithLogicalTimestampAndOptionalFields() {
        ChannelEvent posted = sampleChannel().get(2);
        SchemaAndValue sv = converter.toConnectData(TOPIC, serde.serializer().serialize(TOPIC, posted));

        org.apache.kafka.connect.data.Schema schema = sv.schema();
        assertThat(schema.name()).isEqualTo("dev.parley.avro.event.ChannelEvent");
        assertThat(schema.field("seq").schema().type()).isEqualTo(org.apache.kafka.connect.data.Schema.Type.INT64);
        assertThat(schema.field("timestamp").schema().name()).isEqualTo(Timestamp.LOGICAL_NAME);
        assertThat(schema.field("messageId").schema().isOptional()).isTrue();
        assertThat(schema.field("channel").schema().isOptional()).isFalse();
        assertThat(schema.field("kind").schema().parameters()).containsEntry(AvroConnectData.ENUM, "dev.parley.avro.event.EventKind");
        assertThat(schema.field("payload").schema().parameters()).containsEntry(AvroConnectData.UNION, "true");
        assertThat(schema.field("payload").schema().fields()).extracting(f -> f.name()).containsExactly(
                "ChannelCreated", "MemberJoined", "MemberLeft", "MessagePosted", "MessageEdited", "MessageDeleted",
                "ReactionAdded", "ReactionRemoved", "ReadCursorMoved");

        Struct event = (Struct) sv.value();
        event.validate();
        assertThat(event.getString("channel")).isEqualTo("general");
        assertThat(event.getInt64("seq")).isEqualTo(3L);
        assertThat(event.getString("kind")).isEqualTo("MESSAGE");
        assertThat(event.getString("messageId")).isEqualTo("msg-general-3");
        assertThat(event.get("timestamp")).isEqualTo(Date.from(posted.getTimestamp()));
        assertThat(event.getStruct("actor").getString("user")).isEqualTo("ada");
        Struct payload = event.getStruct("payload");
        assertThat(payload.get("MessageEdited")).isNull();
        Struct message = payload.getStruct("MessagePosted");
        assertThat(message.getString("text")).isEqualTo("hello @bob");
        assertThat(message.get("threadRoot")).isNull();
        assertThat(message.getArray("mentions")).containsExactly("bob");
    }

    @Test
    void everyEventKindRoundTripsThroughConnectToTheSameBytesAndSchemaId() {
        for (ChannelEvent e : sampleChannel()) {
            byte[] bytes = serde.serializer().serialize(TOPIC, e);
            SchemaAndValue sv = converter.toConnectData(TOPIC, bytes);
            byte[] again = converter.fromConnectData(TOPIC, sv.schema(), sv.value());
            assertThat(again).as("event %s", e.getKind()).isEqualTo(bytes);
            assertThat(serde.deserializer().deserialize(TOPIC, again)).isEqualTo(e);
        }
    }

    @Test
    void aNewerWriterSchemaWithAnOptionalFieldYieldsTheNewOptionalField() {
        ChannelEvent original = sampleChannel().get(2);
        Schema evolved = EvolvedSchemas.withClientField(original.getSchema());
        GenericRecord record = EvolvedSchemas.copyInto(original, evolved);
        record.put("client", "ios-5.1");
        ParleyAvroSerializer<GenericRecord> writer = new ParleyAvroSerializer<>();
        writer.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, url), false);

        SchemaAndValue old = converter.toConnectData(TOPIC, serde.serializer().serialize(TOPIC, original));
        SchemaAndValue newer = converter.toConnectData(TOPIC, writer.serialize(TOPIC, record));

        assertThat(old.schema().field("client")).isNull();
        assertThat(newer.schema().field("client").schema().isOptional()).isTrue();
        assertThat(((Struct) newer.value()).getString("client")).isEqualTo("ios-5.1");
        assertThat(((Struct) newer.value()).getString("channel")).isEqualTo("general");
    }

    @Test
    void bytesThatAreNotTheWireFormatOrNameAnUnknownSchemaOrDoNotDecodeAreDataExceptions() {
        byte[] good = serde.serializer().serialize(TOPIC, sampleChannel().get(2));
        byte[] unknownId = good.clone();
        unknownId[4] = 99;
        byte[] truncated = Arrays.copyOf(good, 9);

        assertThatThrownBy(() -> converter.toConnectData(TOPIC, "{\"json\":true}".getBytes()))
                .isInstanceOf(DataException.class).hasMessageContaining("magic byte");
        assertThatThrownBy(() -> converter.toConnectData(TOPIC, new byte[] {0, 0}))
                .isInstanceOf(DataException.class).hasMessageContaining("fewer than the 5-byte");
        assertThatThrownBy(() -> converter.toConnectData(TOPIC, unknownId))
                .isInstanceOf(DataException.class).hasMessageContaining("does not know");
        assertThatThrownBy(() -> converter.toConnectData(TOPIC, truncated))
                .isInstanceOf(DataException.class).hasMessageContaining("does not decode");
        assertThat(converter.toConnectData(TOPIC, null)).isEqualTo(SchemaAndValue.NULL);
    }

    @Test
    void anUnreachableRegistryIsRetriableNotPoison() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        byte[] bytes = serde.serializer().serialize(TOPIC, sampleChannel().get(2));
        ParleyAvroConverter offline = new ParleyAvroConverter();
        offline.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:" + closedPort), false);

        assertThatThrownBy(() -> offline.toConnectData(TOPIC, bytes)).isInstanceOf(RetriableException.class);
    }

    @Test
    void connectDataFromElsewhereIsWrittenWithAGeneratedSchemaAndReadsBack() {
        org.apache.kafka.connect.data.Schema schema = org.apache.kafka.connect.data.SchemaBuilder.struct()
                .name("com.example.Reading")
                .field("sensor", org.apache.kafka.connect.data.Schema.STRING_SCHEMA)
                .field("at", Timestamp.SCHEMA)
                .field("value", Decimal.builder(2).optional().build())
                .field("tags", org.apache.kafka.connect.data.SchemaBuilder.array(org.apache.kafka.connect.data.Schema.STRING_SCHEMA).build())
                .field("note", org.apache.kafka.connect.data.Schema.OPTIONAL_STRING_SCHEMA)
                .build();
        Struct value = new Struct(schema).put("sensor", "s1").put("at", new Date(1_700_000_000_000L))
                .put("value", new BigDecimal("12.34")).put("tags", List.of("a", "b"));

        byte[] bytes = converter.fromConnectData("readings", schema, value);
        SchemaAndValue back = converter.toConnectData("readings", bytes);

        Struct read = (Struct) back.value();
        assertThat(back.schema().name()).isEqualTo("com.example.Reading");
        assertThat(read.getString("sensor")).isEqualTo("s1");
        assertThat(read.get("at")).isEqualTo(new Date(1_700_000_000_000L));
        assertThat(read.get("value")).isEqualTo(new BigDecimal("12.34"));
        assertThat(read.getArray("tags")).containsExactly("a", "b");
        assertThat(read.get("note")).isNull();
        assertThat(InMemorySchemaRegistry.forScope(scope).subjects()).contains("readings-value");
    }

    /** Evolved versions of ChannelEvent, as a later release would add them. */
    static final class EvolvedSchemas {
        private EvolvedSchemas() {
        }

        /** ChannelEvent plus {@code client: ["null","string"] = null} at the end. */
        static Schema withClientField(Schema base) {
            List<Schema.Field> fields = new java.util.ArrayList<>();
            for (Schema.Field f : base.getFields()) {
                fields.add(new Schema.Field(f, f.schema()));
            }
            fields.add(new Schema.Field("client", SchemaBuilder.unionOf().nullType().and().stringType().endUnion(),
                    "Client app and version", org.apache.avro.JsonProperties.NULL_VALUE));
            Schema evolved = Schema.createRecord(base.getName(), base.getDoc(), base.getNamespace(), false);
            evolved.setFields(fields);
            return evolved;
        }

        /** The event re-read as a generic record of the evolved schema (new fields at their defaults). */
        static GenericRecord copyInto(ChannelEvent event, Schema evolved) {
            try {
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                org.apache.avro.io.BinaryEncoder enc = org.apache.avro.io.EncoderFactory.get().binaryEncoder(out, null);
                new org.apache.avro.specific.SpecificDatumWriter<ChannelEvent>(event.getSchema()).write(event, enc);
                enc.flush();
                return new org.apache.avro.generic.GenericDatumReader<GenericRecord>(event.getSchema(), evolved)
                        .read(null, org.apache.avro.io.DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
