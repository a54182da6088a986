package dev.parley.schemas.registry.server;

import static dev.parley.schemas.registry.server.RawHttp.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.avro.event.ChannelEvent;
import dev.parley.schemas.registry.RegistryException;
import dev.parley.schemas.registry.RestSchemaRegistryClient;
import dev.parley.schemas.serde.ParleyAvroSerde;
import dev.parley.schemas.serde.SerdeConfig;
import dev.parley.schemas.serde.SerdeException;
import dev.parley.schemas.topics.TopicNames;
import dev.parley.testkit.KafkaTestCluster;
import dev.parley.testkit.SharedKafka;
import dev.parley.testkit.TestNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A registry configured with HTTP basic auth refuses anonymous and wrong credentials and serves the right ones. */
@ExtendWith(SharedKafka.class)
class RegistryBasicAuthTest {

    static final String USER = "parley";
    static final String PASSWORD = "s3cret:with-colon";
    static final String NOTE = """
            {"type":"record","name":"Note","namespace":"test.auth","fields":[{"name":"text","type":"string"}]}""";

    static SchemaRegistryServer server;
    static String topicPrefix;

    @BeforeAll
    static void start(KafkaTestCluster kafka) {
        topicPrefix = TestNames.prefix(RegistryBasicAuthTest.class);
        server = SchemaRegistryServer.start(RegistryServerConfig.defaults().withPort(0)
                .withTopics(new TopicNames(topicPrefix))
                .withBasicAuth(new BasicCredentials(USER, PASSWORD)), kafka.bootstrapServers());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void requestsWithoutOrWithWrongCredentialsGet401AndChangeNothing() {
        RawHttp.Reply anonymous = new RawHttp(server.url()).post("/subjects/refused-value/versions", schemaBody(NOTE));
        RawHttp.Reply wrong = new RawHttp(server.url(), basic(USER, "guess")).post("/subjects/refused-value/versions", schemaBody(NOTE));
        RawHttp.Reply garbage = new RawHttp(server.url(), "Basic %%%").get("/subjects");

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.errorCode()).isEqualTo(401);
        assertThat(anonymous.raw().headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(garbage.status()).isEqualTo(401);
        RestSchemaRegistryClient anonymousClient = new RestSchemaRegistryClient(List.of(server.url()), Optional.empty(), Duration.ofSeconds(30));
        assertThatThrownBy(anonymousClient::subjects)
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(401));

        RawHttp.Reply subjects = new RawHttp(server.url(), basic(USER, PASSWORD)).get("/subjects/refused-value/versions");
        assertThat(subjects.errorCode()).as("nothing was registered").isEqualTo(40401);
    }

    @Test
    void theRightCredentialsAreServed() {
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(List.of(server.url()), Optional.of(USER + ":" + PASSWORD), Duration.ofSeconds(30));
        int id = client.register("allowed-value", new Schema.Parser().parse(NOTE));

        RawHttp.Reply byId = new RawHttp(server.url(), basic(USER, PASSWORD)).get("/schemas/ids/" + id);
        assertThat(byId.status()).isEqualTo(200);
        assertThat(client.latest("allowed-value").id()).isEqualTo(id);
    }

    @Test
    void theSerdesBasicAuthSettingsWork() {
        String topic = topicPrefix + "log";
        ChannelEvent event = TestEvents.message("c-auth", 1, "hello");

        Map<String, Object> userInfo = SerdeConfig.forUrl(server.url().toString());
        userInfo.put(SerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO");
        userInfo.put(SerdeConfig.BASIC_AUTH_USER_INFO, USER + ":" + PASSWORD);
        ParleyAvroSerde<ChannelEvent> withUserInfo = ParleyAvroSerde.forValue(ChannelEvent.class, userInfo);
        byte[] bytes = withUserInfo.serializer().serialize(topic, event);
        assertThat(withUserInfo.deserializer().deserialize(topic, bytes)).isEqualTo(event);

        String inUrl = "http://" + USER + ":" + PASSWORD + "@" + server.url().getHost() + ":" + server.port();
        ParleyAvroSerde<ChannelEvent> withUrlCredentials = ParleyAvroSerde.forValue(ChannelEvent.class, SerdeConfig.forUrl(inUrl));
        assertThat(withUrlCredentials.serializer().serialize(topic, event)).isEqualTo(bytes);

        ParleyAvroSerde<ChannelEvent> anonymous = ParleyAvroSerde.forValue(ChannelEvent.class, SerdeConfig.forUrl(server.url().toString()));
        assertThatThrownBy(() -> anonymous.serializer().serialize(topicPrefix + "other", event))
                .isInstanceOf(SerdeException.class).hasMessageContaining("Unauthorized");
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
