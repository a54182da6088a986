package dev.parley.connect.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.avro.event.ChannelEvent;
import dev.parley.connect.EvolvedSchemas;
import dev.parley.connect.converter.ParleyAvroConverter;
import dev.parley.connect.support.ChannelScript;
import dev.parley.schemas.registry.InMemorySchemaRegistry;
import dev.parley.schemas.serde.ParleyAvroSerde;
import dev.parley.schemas.serde.ParleyAvroSerializer;
import dev.parley.schemas.serde.SerdeConfig;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FlattenChannelEventTest {

    private static final String TOPIC = "parley.log";
    private final String scope = "flatten-test-" + System.nanoTime();
    private final Map<String, String> registry = Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope);
    private ParleyAvroConverter converter;
    private ParleyAvroSerde<ChannelEvent> serde;
    private List<ChannelEvent> events;

    @BeforeEach
    void setUp() {
        converter = new ParleyAvroConverter();
        converter.configure(registry, false);
        serde = ParleyAvroSerde.forValue(ChannelEvent.class, registry);
        ChannelScript c = new ChannelScript("general", Instant.parse("2026-11-20T10:00:00Z"));
        c.create("ada", "General").join("bob");
        long m = c.post("ada", "hello @bob", null, List.of("bob", "cy"));
        c.post("bob", "hi", m, List.of());
        c.edit("ada", m, "hello everyone").react("bob", m, ":wave:").unreact("bob", m, ":wave:").delete("ada", m)
                .read("bob", 4).leave("bob");
        events = c.events();
    }

    @AfterEach
    void tearDown() {
        InMemorySchemaRegistry.dropScope(scope);
    }

    private SinkRecord record(byte[] bytes, long offset) {
        SchemaAndValue sv = converter.toConnectData(TOPIC, bytes);
        return new SinkRecord(TOPIC, 0, org.apache.kafka.connect.data.Schema.STRING_SCHEMA, "general", sv.schema(), sv.value(), offset);
    }

    private SinkRecord record(ChannelEvent e) {
        return record(serde.serializer().serialize(TOPIC, e), e.getSeq());
    }

    private static FlattenChannelEvent<SinkRecord> transform(Map<String, ?> config) {
        FlattenChannelEvent<SinkRecord> t = new FlattenChannelEvent<>();
        t.configure(config);
        return t;
    }

    private static Map<String, Object> row(SinkRecord r) {
        Struct s = (Struct) r.value();
        s.validate();
        Map<String, Object> m = new HashMap<>();
        for (Field f : s.schema().fields()) {
            if (s.get(f) != null) {
                m.put(f.name(), s.get(f));
            }
        }
        return m;
    }

    @Test
    void everyKindBecomesOneFlatRowKeyedByChannelAndSeq() {
        FlattenChannelEvent<SinkRecord> t = transform(Map.of());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ChannelEvent e : events) {
            SinkRecord out = t.apply(record(e));
            assertThat(out.key()).isEqualTo("general");
            assertThat(out.valueSchema().name()).isEqualTo(FlattenChannelEvent.ROW_SCHEMA_NAME);
            assertThat(out.valueSchema().field("ts").schema().name()).isEqualTo(Timestamp.LOGICAL_NAME);
            assertThat(out.valueSchema().field("seq").schema().isOptional()).isFalse();
            rows.add(row(out));
        }
        Date t1 = Date.from(Instant.parse("2026-11-20T10:01:00Z"));
        assertThat(rows.get(0)).containsEntry("channel", "general").containsEntry("seq", 1L)
                .containsEntry("kind", "CHANNEL_CREATED").containsEntry("user_id", "ada").containsEntry("device", "laptop-ada")
                .containsEntry("ts", t1).containsEntry("visibility", "PUBLIC").containsEntry("title", "General")
                .containsEntry("direct", false).doesNotContainKey("members").containsEntry("idempotency_key", "idem-general-1")
                .containsEntry("command_id", "cmd-general-1").containsKey("event_id").doesNotContainKey("message_id");
        assertThat(rows.get(1)).containsEntry("kind", "MEMBER_JOINED").containsEntry("member_user", "bob").containsEntry("member_role", "MEMBER");
        assertThat(rows.get(2)).containsEntry("kind", "MESSAGE").containsEntry("message_id", "msg-general-3")
                .containsEntry("text", "hello @bob").containsEntry("mentions", "bob,cy").doesNotContainKey("thread_root");
        assertThat(rows.get(3)).containsEntry("kind", "MESSAGE").containsEntry("thread_root", 3L).containsEntry("text", "hi").doesNotContainKey("mentions");
        assertThat(rows.get(4)).containsEntry("kind", "EDITED").containsEntry("target_seq", 3L)
                .containsEntry("message_id", "msg-general-3").containsEntry("text", "hello everyone");
        assertThat(rows.get(5)).containsEntry("kind", "REACTION_ADDED").containsEntry("target_seq", 3L).containsEntry("emoji", ":wave:");
        assertThat(rows.get(6)).containsEntry("kind", "REACTION_REMOVED").containsEntry("target_seq", 3L).containsEntry("emoji", ":wave:");
        assertThat(rows.get(7)).containsEntry("kind", "DELETED").containsEntry("target_seq", 3L).doesNotContainKey("text");
        assertThat(rows.get(8)).containsEntry("kind", "READ").containsEntry("read_seq", 4L).containsEntry("user_id", "bob");
        assertThat(rows.get(9)).containsEntry("kind", "MEMBER_LEFT").containsEntry("member_user", "bob");
        assertThat(rows).extracting(r -> r.get("seq")).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    }

    @Test
    void withoutTextTheRowsHaveNoTextColumnsAtAll() {
        SinkRecord out = transform(Map.of(FlattenChannelEvent.TEXT_INCLUDE, "false")).apply(record(events.get(2)));
        assertThat(out.valueSchema().field("text")).isNull();
        assertThat(out.valueSchema().field("mentions")).isNull();
        assertThat(row(out)).containsEntry("kind", "MESSAGE").containsEntry("message_id", "msg-general-3");
    }

    @Test
    void kindsKeepsOnlyTheNamedKindsAndTombstonesAreDropped() {
        FlattenChannelEvent<SinkRecord> t = transform(Map.of(FlattenChannelEvent.KINDS, "message, edited,DELETED"));
        List<Object> kept = events.stream().map(this::record).map(t::apply).filter(r -> r != null)
                .map(r -> ((Struct) r.value()).get("kind")).toList();
        assertThat(kept).containsExactly("MESSAGE", "MESSAGE", "EDITED", "DELETED");
        assertThat(t.apply(new SinkRecord(TOPIC, 0, null, "general", null, null, 99))).isNull();
    }

    @Test
    void fieldsOfANewerSchemaBecomeExtraColumns() throws IOException {
        ChannelEvent posted = events.get(2);
        Schema evolved = evolve(posted.getSchema());
        GenericRecord r = EvolvedSchemas.reread(posted, evolved);
        r.put("clientVersion", "ios-5.1");
        ((GenericRecord) r.get("payload")).put("format", "markdown");
        ParleyAvroSerializer<GenericRecord> writer = new ParleyAvroSerializer<>();
        writer.configure(registry, false);

        SinkRecord out = transform(Map.of()).apply(record(writer.serialize(TOPIC, r), 3));

        assertThat(out.valueSchema().field("client_version").schema().isOptional()).isTrue();
        assertThat(out.valueSchema().field("message_posted_format").schema().isOptional()).isTrue();
        assertThat(row(out)).containsEntry("client_version", "ios-5.1").containsEntry("message_posted_format", "markdown")
                .containsEntry("text", "hello @bob");
        SinkRecord older = transform(Map.of()).apply(record(posted));
        assertThat(older.valueSchema().field("client_version")).isNull();
    }

    @Test
    void aValueThatIsNotAChannelEventIsADataException() {
        FlattenChannelEvent<SinkRecord> t = transform(Map.of());
        assertThatThrownBy(() -> t.apply(new SinkRecord(TOPIC, 0, null, "k", null, "a string", 1)))
                .isInstanceOf(DataException.class).hasMessageContaining("expects a ChannelEvent");
        org.apache.kafka.connect.data.Schema other = org.apache.kafka.connect.data.SchemaBuilder.struct().name("x.Other")
                .field("a", org.apache.kafka.connect.data.Schema.STRING_SCHEMA).build();
        assertThatThrownBy(() -> t.apply(new SinkRecord(TOPIC, 0, null, "k", other, new Struct(other).put("a", "b"), 1)))
                .isInstanceOf(DataException.class).hasMessageContaining("channel and seq");
    }

    @Test
    void snakeCase() {
        assertThat(FlattenChannelEvent.snake("clientVersion")).isEqualTo("client_version");
        assertThat(FlattenChannelEvent.snake("MessagePosted")).isEqualTo("message_posted");
        assertThat(FlattenChannelEvent.snake("already_snake")).isEqualTo("already_snake");
    }

    /** ChannelEvent + clientVersion (top level) + MessagePosted.format, both optional. */
    private static Schema evolve(Schema event) {
        Schema nullableString = Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING));
        List<Schema> branches = new ArrayList<>();
        for (Schema b : event.getField("payload").schema().getTypes()) {
            branches.add(b.getName().equals("MessagePosted") ? EvolvedSchemas.withField(b, "format", nullableString) : b);
        }
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : event.getFields()) {
            fields.add(f.name().equals("payload") ? new Schema.Field(f, Schema.createUnion(branches)) : new Schema.Field(f, f.schema()));
        }
        fields.add(new Schema.Field("clientVersion", nullableString, null, JsonProperties.NULL_VALUE));
        Schema evolved = Schema.createRecord(event.getName(), event.getDoc(), event.getNamespace(), false);
        evolved.setFields(fields);
        return evolved;
    }

}
