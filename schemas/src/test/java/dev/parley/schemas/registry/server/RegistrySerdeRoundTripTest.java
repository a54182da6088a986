package dev.parley.schemas.registry.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.event.MessagePosted;
import dev.parley.schemas.registry.RestSchemaRegistryClient;
import dev.parley.schemas.serde.ParleyAvroDeserializer;
import dev.parley.schemas.serde.ParleyAvroSerde;
import dev.parley.schemas.serde.SerdeConfig;
import dev.parley.schemas.topics.TopicNames;
import dev.parley.testkit.KafkaTestCluster;
import dev.parley.testkit.SharedKafka;
import dev.parley.testkit.TestNames;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Parley's serde against the real registry server: Confluent wire format with the id the server assigned. */
@ExtendWith(SharedKafka.class)
class RegistrySerdeRoundTripTest {

    @Test
    void aChannelEventRoundTripsWithTheServersSchemaId(KafkaTestCluster kafka) {
        TopicNames names = new TopicNames(TestNames.prefix(RegistrySerdeRoundTripTest.class));
        try (SchemaRegistryServer server = SchemaRegistryServer.start(RegistryServerConfig.defaults().withPort(0).withTopics(names),
                kafka.bootstrapServers())) {
            String topic = names.log();
            ChannelEvent event = TestEvents.message("c-serde", 42, "round trip");
            ParleyAvroSerde<ChannelEvent> serde = ParleyAvroSerde.forValue(ChannelEvent.class, SerdeConfig.forUrl(server.url().toString()));

            byte[] bytes = serde.serializer().serialize(topic, event);

            RawHttp.Reply latest = new RawHttp(server.url()).get("/subjects/" + topic + "-value/versions/latest");
            assertThat(latest.status()).isEqualTo(200);
            int assigned = latest.json().get("id").asInt();
            assertThat(latest.json().get("version").asInt()).isEqualTo(1);
            assertThat(new Schema.Parser().parse(latest.json().get("schema").asText())).isEqualTo(ChannelEvent.getClassSchema());
            assertThat(bytes[0]).as("magic byte").isZero();
            assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(assigned);

            ChannelEvent back = serde.deserializer().deserialize(topic, bytes);
            assertThat(back).isEqualTo(event);
            assertThat(((MessagePosted) back.getPayload()).getText()).isEqualTo("round trip");

            // a reader with no cache at all fetches the writer schema by id from the server
            ParleyAvroDeserializer<ChannelEvent> fresh = new ParleyAvroDeserializer<>(
                    new RestSchemaRegistryClient(List.of(server.url()), Optional.empty(), Duration.ofSeconds(30)),
                    SerdeConfig.parse(SerdeConfig.forUrl(server.url().toString())), ChannelEvent.class);
            assertThat(fresh.deserialize(topic, bytes)).isEqualTo(event);
            assertThat(serde.serializer().serialize(topic, TestEvents.message("c-serde", 43, "again")))
                    .as("same schema, same id").startsWith(bytes[0], bytes[1], bytes[2], bytes[3], bytes[4]);
        }
    }
}
