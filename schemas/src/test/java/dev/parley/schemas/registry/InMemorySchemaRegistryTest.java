package dev.parley.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.avro.Actor;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.event.EventKind;
import dev.parley.avro.event.MemberLeft;
import dev.parley.schemas.serde.ParleyAvroSerde;
import dev.parley.schemas.serde.SerdeConfig;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The mock:// registry: the same core as the server, in memory, shared per scope. */
class InMemorySchemaRegistryTest {

    static final Schema V1 = new Schema.Parser().parse("""
            {"type":"record","name":"Note","namespace":"mem","fields":[{"name":"text","type":"string"}]}""");
    static final Schema V2 = new Schema.Parser().parse("""
            {"type":"record","name":"Note","namespace":"mem","fields":[{"name":"text","type":"string"},
             {"name":"pinned","type":"boolean","default":false}]}""");
    static final Schema REQUIRED = new Schema.Parser().parse("""
            {"type":"record","name":"Note","namespace":"mem","fields":[{"name":"text","type":"string"},
             {"name":"author","type":"string"}]}""");

    @AfterEach
    void drop() {
        InMemorySchemaRegistry.dropScope("mem-test");
        InMemorySchemaRegistry.dropScope("mem-serde");
    }

    @Test
    void scopesAreSharedUntilDropped() {
        InMemorySchemaRegistry a = InMemorySchemaRegistry.forScope("mem-test");
        assertThat(InMemorySchemaRegistry.forScope("mem-test")).isSameAs(a);
        a.register("s", V1);
        InMemorySchemaRegistry.dropScope("mem-test");
        assertThat(InMemorySchemaRegistry.forScope("mem-test").subjects()).isEmpty();
    }

    @Test
    void behavesLikeTheRegistryServer() {
        InMemorySchemaRegistry r = InMemorySchemaRegistry.forScope("mem-test");

        int id1 = r.register("a", V1);
        assertThat(r.register("b", V1)).isEqualTo(id1);
        assertThat(r.register("a", V1)).isEqualTo(id1);
        int id2 = r.register("a", V2);

        assertThat(id2).isEqualTo(id1 + 1);
        assertThat(r.latest("a")).isEqualTo(new RegisteredSchema("a", id2, 2, V2));
        assertThat(r.version("a", 1)).isEqualTo(new RegisteredSchema("a", id1, 1, V1));
        assertThat(r.lookup("b", V1)).isEqualTo(new RegisteredSchema("b", id1, 1, V1));
        assertThat(r.schemaById(id2)).isEqualTo(V2);
        assertThat(r.subjects()).containsExactly("a", "b");
        assertThat(r.compatibilityProblems("a", REQUIRED)).singleElement().asString().contains("'author'");
        assertThat(r.compatibilityProblems("new-subject", REQUIRED)).isEmpty();
        assertThatThrownBy(() -> r.register("a", REQUIRED)).isInstanceOfSatisfying(RegistryException.class,
                e -> assertThat(e.errorCode()).isEqualTo(RegistryException.INCOMPATIBLE));
        assertThatThrownBy(() -> r.latest("nope")).isInstanceOfSatisfying(RegistryException.class,
                e -> assertThat(e.errorCode()).isEqualTo(RegistryException.SUBJECT_NOT_FOUND));
        assertThatThrownBy(() -> r.version("a", 3)).isInstanceOfSatisfying(RegistryException.class,
                e -> assertThat(e.errorCode()).isEqualTo(RegistryException.VERSION_NOT_FOUND));
        assertThatThrownBy(() -> r.schemaById(99)).isInstanceOfSatisfying(RegistryException.class,
                e -> assertThat(e.errorCode()).isEqualTo(RegistryException.SCHEMA_NOT_FOUND));
        assertThatThrownBy(() -> r.lookup("a", REQUIRED)).isInstanceOfSatisfying(RegistryException.class,
                e -> assertThat(e.errorCode()).isEqualTo(RegistryException.SCHEMA_NOT_FOUND));
    }

    @Test
    void theSerdeRoundTripsThroughAMockUrl() {
        ParleyAvroSerde<ChannelEvent> serde = ParleyAvroSerde.forValue(ChannelEvent.class, SerdeConfig.forUrl("mock://mem-serde"));
        ChannelEvent event = ChannelEvent.newBuilder().setChannel("c").setSeq(3).setEventId("e3").setKind(EventKind.MEMBER_LEFT)
                .setActor(Actor.newBuilder().setUser("u").setDevice("d").build()).setTimestamp(Instant.ofEpochMilli(1000))
                .setPayload(MemberLeft.newBuilder().setUser("u").build()).build();

        byte[] bytes = serde.serializer().serialize("log", event);

        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(InMemorySchemaRegistry.forScope("mem-serde").latest("log-value").id());
        assertThat(serde.deserializer().deserialize("log", bytes)).isEqualTo(event);
    }
}
