package dev.parley.schemas.registry.server;

import static dev.parley.schemas.registry.server.RawHttp.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.schemas.registry.RegisteredSchema;
import dev.parley.schemas.registry.RegistryException;
import dev.parley.schemas.registry.RestSchemaRegistryClient;
import dev.parley.schemas.topics.TopicNames;
import dev.parley.testkit.KafkaTestCluster;
import dev.parley.testkit.SharedKafka;
import dev.parley.testkit.TestNames;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The REST API of a real registry server (Kafka storage), through Parley's client and through raw HTTP. */
@ExtendWith(SharedKafka.class)
class RegistryRestApiTest {

    static final String NOTE_V1 = """
            {"type":"record","name":"Note","namespace":"test.rest","fields":[{"name":"text","type":"string"}]}""";
    static final String NOTE_V2 = """
            {"type":"record","name":"Note","namespace":"test.rest","fields":[{"name":"text","type":"string"},
             {"name":"pinned","type":"boolean","default":false}]}""";
    static final String NOTE_REQUIRED_AUTHOR = """
            {"type":"record","name":"Note","namespace":"test.rest","fields":[{"name":"text","type":"string"},
             {"name":"author","type":"string"}]}""";

    static SchemaRegistryServer server;
    static RestSchemaRegistryClient client;
    static RawHttp http;

    @BeforeAll
    static void start(KafkaTestCluster kafka) {
        RegistryServerConfig config = RegistryServerConfig.defaults().withPort(0)
                .withTopics(new TopicNames(TestNames.prefix(RegistryRestApiTest.class)));
        server = SchemaRegistryServer.start(config, kafka.bootstrapServers());
        client = new RestSchemaRegistryClient(List.of(server.url()), Optional.empty(), Duration.ofSeconds(30));
        http = new RawHttp(server.url());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void registerLookupLatestVersionsAndByIdThroughTheClient() {
        String subject = "client-notes-value";
        Schema v1 = new Schema.Parser().parse(NOTE_V1);
        Schema v2 = new Schema.Parser().parse(NOTE_V2);

        int id1 = client.register(subject, v1);
        RegisteredSchema latest1 = client.latest(subject);
        int id2 = client.register(subject, v2);

        assertThat(latest1).isEqualTo(new RegisteredSchema(subject, id1, 1, v1));
        assertThat(id2).isGreaterThan(id1);
        assertThat(client.latest(subject)).isEqualTo(new RegisteredSchema(subject, id2, 2, v2));
        assertThat(client.version(subject, 1).schema()).isEqualTo(v1);
        assertThat(client.lookup(subject, v1)).isEqualTo(new RegisteredSchema(subject, id1, 1, v1));
        assertThat(client.schemaById(id2)).isEqualTo(v2);
        assertThat(client.subjects()).contains(subject);
        assertThat(client.register(subject, v1)).as("re-registering returns the existing id").isEqualTo(id1);
        assertThat(http.get("/subjects/" + subject + "/versions").json()).hasToString("[1,2]");
    }

    @Test
    void theSameSchemaUnderTwoSubjectsHasOneIdAndReRegisteringAddsNoVersion() {
        String note = NOTE_V1.replace("test.rest", "test.same"); // used by this test only: ids are global
        RawHttp.Reply a = http.post("/subjects/same-a-value/versions", schemaBody(note));
        RawHttp.Reply b = http.post("/subjects/same-b-value/versions",
                RawHttp.object().put("schema", "{ \"fields\": [{\"type\": \"string\", \"name\": \"text\"}], "
                        + "\"name\": \"Note\", \"namespace\": \"test.same\", \"type\": \"record\" }").put("schemaType", "AVRO").toString());
        RawHttp.Reply again = http.post("/subjects/same-a-value/versions", schemaBody(note));

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.contentType()).startsWith("application/vnd.schemaregistry.v1+json");
        int id = a.json().get("id").asInt();
        assertThat(a.json().size()).as("register answers {\"id\":N}").isEqualTo(1);
        assertThat(b.json().get("id").asInt()).isEqualTo(id);
        assertThat(again.json().get("id").asInt()).isEqualTo(id);
        assertThat(http.get("/subjects/same-a-value/versions").json()).hasToString("[1]");
        assertThat(http.get("/schemas/ids/" + id + "/versions").json()).hasToString(
                "[{\"subject\":\"same-a-value\",\"version\":1},{\"subject\":\"same-b-value\",\"version\":1}]");

        RawHttp.Reply byId = http.get("/schemas/ids/" + id);
        assertThat(new Schema.Parser().parse(byId.json().get("schema").asText())).isEqualTo(new Schema.Parser().parse(note));
        RawHttp.Reply lookup = http.post("/subjects/same-b-value", schemaBody(note));
        assertThat(lookup.status()).isEqualTo(200);
        assertThat(lookup.json().get("subject").asText()).isEqualTo("same-b-value");
        assertThat(lookup.json().get("id").asInt()).isEqualTo(id);
        assertThat(lookup.json().get("version").asInt()).isEqualTo(1);
        assertThat(lookup.json().get("schema").asText()).isEqualTo(byId.json().get("schema").asText());

        RawHttp.Reply version = http.get("/subjects/same-a-value/versions/latest");
        assertThat(version.json().fieldNames()).toIterable().containsExactlyInAnyOrder("subject", "version", "id", "schema");
        RawHttp.Reply raw = http.get("/subjects/same-a-value/versions/1/schema");
        assertThat(new Schema.Parser().parse(raw.text())).isEqualTo(new Schema.Parser().parse(note));
    }

    @Test
    void anIncompatibleChangeIs409NamingTheField() {
        String subject = "incompatible-value";
        assertThat(http.post("/subjects/" + subject + "/versions", schemaBody(NOTE_V1)).status()).isEqualTo(200);

        RawHttp.Reply refused = http.post("/subjects/" + subject + "/versions", schemaBody(NOTE_REQUIRED_AUTHOR));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.errorCode()).isEqualTo(409);
        assertThat(refused.message()).contains("incompatible", "field 'author'", "BACKWARD");
        assertThatThrownBy(() -> client.register(subject, new Schema.Parser().parse(NOTE_REQUIRED_AUTHOR)))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(RegistryException.INCOMPATIBLE);
                    assertThat(e.getMessage()).contains("'author'");
                });
        assertThat(http.get("/subjects/" + subject + "/versions").json()).hasToString("[1]");
    }

    @Test
    void invalidSchemasAndBodiesAreRefused() {
        RawHttp.Reply invalid = http.post("/subjects/invalid-value/versions",
                schemaBody("{\"type\":\"record\",\"name\":\"X\",\"fields\":[{\"name\":\"a\",\"type\":\"no.such.Type\"}]}"));
        RawHttp.Reply protobuf = http.post("/subjects/invalid-value/versions",
                RawHttp.object().put("schema", "syntax = \"proto3\"; message M {}").put("schemaType", "PROTOBUF").toString());
        RawHttp.Reply references = http.post("/subjects/invalid-value/versions", RawHttp.object().put("schema", NOTE_V1)
                .set("references", RawHttp.JSON.createArrayNode().add(RawHttp.object().put("name", "x").put("subject", "y").put("version", 1))).toString());
        RawHttp.Reply notJson = http.post("/subjects/invalid-value/versions", "{\"schema\": ");
        RawHttp.Reply plainText = http.send("POST", "/subjects/invalid-value/versions", schemaBody(NOTE_V1), "text/plain");

        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.errorCode()).isEqualTo(42201);
        assertThat(invalid.message()).contains("no.such.Type");
        assertThat(protobuf.status()).isEqualTo(422);
        assertThat(protobuf.errorCode()).isEqualTo(42201);
        assertThat(protobuf.message()).contains("PROTOBUF", "AVRO");
        assertThat(references.errorCode()).isEqualTo(42201);
        assertThat(references.message()).contains("references");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.errorCode()).isEqualTo(400);
        assertThat(plainText.status()).isEqualTo(415);
        assertThat(http.get("/subjects/invalid-value/versions").errorCode()).as("nothing was registered").isEqualTo(40401);
        assertThatThrownBy(() -> client.lookup("invalid-value", new Schema.Parser().parse(NOTE_V1)))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40401));
    }

    @Test
    void bodiesAboveTheLimitAre413EvenWithoutAContentLength() throws IOException {
        // A valid schema whose doc pads the body to 9.5 MB: only the byte count is wrong.
        String padded = RawHttp.object().put("type", "record").put("name", "Big").put("namespace", "test.rest")
                .put("doc", "x".repeat(9_500_000)).set("fields", RawHttp.JSON.createArrayNode()).toString();
        String body = schemaBody(padded);

        RawHttp.Reply chunked = http.postChunked("/subjects/too-big-value/versions", body);

        assertThat(chunked.status()).as(chunked.text()).isEqualTo(413);
        assertThat(chunked.errorCode()).isEqualTo(413);
        assertThat(chunked.message()).contains("8388608 bytes");
        assertThat(chunked.raw().headers().firstValue("Connection")).as("the unread body ends the connection")
                .hasValue("close");
        assertThat(declaredLengthStatusLine(9_500_000)).as("refused on the header, before any body byte")
                .startsWith("HTTP/1.1 413");
        assertThat(http.postChunked("/subjects/small-chunked-value/versions", schemaBody(NOTE_V1)).status())
                .as("a chunked body within the limit is served").isEqualTo(200);
        assertThat(http.get("/subjects/too-big-value/versions").errorCode()).as("nothing was registered").isEqualTo(40401);
    }

    /** The status line answering a POST that declares {@code length} bytes and sends none of them. */
    private static String declaredLengthStatusLine(long length) throws IOException {
        try (Socket socket = new Socket(server.url().getHost(), server.port())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("POST /subjects/too-big-value/versions HTTP/1.1\r\nHost: registry\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    @Test
    void applicationJsonIsAcceptedToo() {
        RawHttp.Reply r = http.send("POST", "/subjects/plain-json-value/versions", schemaBody(NOTE_V1), "application/json; charset=utf-8");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("id").asInt()).isPositive();
    }

    @Test
    void unknownSubjectVersionAndIdHaveConfluentCodes() {
        http.post("/subjects/known-value/versions", schemaBody(NOTE_V1));

        assertThat(http.get("/subjects/nobody-value/versions")).satisfies(r -> {
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.errorCode()).isEqualTo(40401);
        });
        assertThat(http.get("/subjects/nobody-value/versions/latest").errorCode()).isEqualTo(40401);
        assertThat(http.get("/subjects/known-value/versions/42")).satisfies(r -> {
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.errorCode()).isEqualTo(40402);
        });
        assertThat(http.get("/schemas/ids/987654")).satisfies(r -> {
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.errorCode()).isEqualTo(40403);
        });
        assertThat(http.post("/subjects/known-value", schemaBody(NOTE_V2)).errorCode()).isEqualTo(40403);
        assertThat(http.get("/subjects/known-value/versions/zero")).satisfies(r -> {
            assertThat(r.status()).isEqualTo(422);
            assertThat(r.errorCode()).isEqualTo(42202);
        });
        assertThatThrownBy(() -> client.latest("nobody-value"))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(RegistryException.SUBJECT_NOT_FOUND);
                    assertThat(e.isNotFound()).isTrue();
                });
        assertThatThrownBy(() -> client.version("known-value", 9))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(RegistryException.VERSION_NOT_FOUND));
        assertThatThrownBy(() -> client.schemaById(987654))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(RegistryException.SCHEMA_NOT_FOUND));
    }

    @Test
    void compatibilityEndpointAnswersWithAndWithoutMessages() {
        String subject = "compat-value";
        http.post("/subjects/" + subject + "/versions", schemaBody(NOTE_V1));

        RawHttp.Reply ok = http.post("/compatibility/subjects/" + subject + "/versions/latest", schemaBody(NOTE_V2));
        RawHttp.Reply bad = http.post("/compatibility/subjects/" + subject + "/versions/latest", schemaBody(NOTE_REQUIRED_AUTHOR));
        RawHttp.Reply badVerbose = http.post("/compatibility/subjects/" + subject + "/versions/1?verbose=true", schemaBody(NOTE_REQUIRED_AUTHOR));
        RawHttp.Reply newSubject = http.post("/compatibility/subjects/brand-new-value/versions/latest", schemaBody(NOTE_V1));
        RawHttp.Reply missingVersion = http.post("/compatibility/subjects/" + subject + "/versions/3", schemaBody(NOTE_V1));

        assertThat(ok.json()).hasToString("{\"is_compatible\":true}");
        assertThat(bad.json()).hasToString("{\"is_compatible\":false}");
        assertThat(badVerbose.json().get("is_compatible").asBoolean()).isFalse();
        assertThat(badVerbose.json().get("messages")).singleElement().satisfies(m -> assertThat(m.asText()).contains("'author'"));
        assertThat(newSubject.json().get("is_compatible").asBoolean()).isTrue();
        assertThat(missingVersion.errorCode()).isEqualTo(40402);
        assertThat(client.compatibilityProblems(subject, new Schema.Parser().parse(NOTE_REQUIRED_AUTHOR)))
                .singleElement().asString().contains("'author'");
        assertThat(client.compatibilityProblems(subject, new Schema.Parser().parse(NOTE_V2))).isEmpty();
        assertThat(http.get("/subjects/" + subject + "/versions").json()).as("checks register nothing").hasToString("[1]");
    }

    @Test
    void configEndpointsSetTheLevelsUsedForRegistration() {
        String subject = "config-value";
        http.post("/subjects/" + subject + "/versions", schemaBody(NOTE_V1));

        assertThat(http.get("/config").json()).hasToString("{\"compatibilityLevel\":\"BACKWARD\"}");
        assertThat(http.get("/config/" + subject)).satisfies(r -> {
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.errorCode()).isEqualTo(40408);
        });
        assertThat(http.get("/config/" + subject + "?defaultToGlobal=true").json()).hasToString("{\"compatibilityLevel\":\"BACKWARD\"}");
        RawHttp.Reply invalid = http.put("/config/" + subject, "{\"compatibility\":\"SIDEWAYS\"}");
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.errorCode()).isEqualTo(42203);

        assertThat(http.put("/config/" + subject, "{\"compatibility\":\"none\"}").json()).hasToString("{\"compatibility\":\"NONE\"}");
        assertThat(http.get("/config/" + subject).json()).hasToString("{\"compatibilityLevel\":\"NONE\"}");
        assertThat(http.post("/subjects/" + subject + "/versions", schemaBody(NOTE_REQUIRED_AUTHOR)).status())
                .as("NONE lets an incompatible schema in").isEqualTo(200);
        assertThat(http.delete("/config/" + subject).json()).hasToString("{\"compatibilityLevel\":\"NONE\"}");
        assertThat(http.post("/compatibility/subjects/" + subject + "/versions/latest", schemaBody(NOTE_V1)).json().get("is_compatible").asBoolean())
                .as("back to the global BACKWARD: dropping the required field is fine, the new schema reads old data")
                .isTrue();

        try {
            assertThat(http.put("/config", "{\"compatibility\":\"FORWARD\"}").json()).hasToString("{\"compatibility\":\"FORWARD\"}");
            assertThat(http.get("/config").json()).hasToString("{\"compatibilityLevel\":\"FORWARD\"}");
            assertThat(http.post("/compatibility/subjects/" + subject + "/versions/latest?verbose=true", schemaBody(NOTE_V1)).json()
                    .get("messages")).singleElement().satisfies(m -> assertThat(m.asText()).contains("FORWARD", "'author'"));
        } finally {
            http.put("/config", "{\"compatibility\":\"BACKWARD\"}");
        }
        assertThat(http.get("/config").json()).hasToString("{\"compatibilityLevel\":\"BACKWARD\"}");
    }

    @Test
    void softDeletionThroughHttp() {
        String subject = "deleted-value";
        int id1 = http.post("/subjects/" + subject + "/versions", schemaBody(NOTE_V1)).json().get("id").asInt();
        http.post("/subjects/" + subject + "/versions", schemaBody(NOTE_V2));

        assertThat(http.delete("/subjects/" + subject + "/versions/2").json()).hasToString("2");
        assertThat(http.get("/subjects/" + subject + "/versions").json()).hasToString("[1]");
        assertThat(http.get("/subjects/" + subject + "/versions?deleted=true").json()).hasToString("[1,2]");
        assertThat(http.delete("/subjects/" + subject + "?permanent=true").errorCode()).isEqualTo(42205);
        assertThat(http.delete("/subjects/" + subject).json()).hasToString("[1]");
        assertThat(http.get("/subjects").json()).noneSatisfy(s -> assertThat(s.asText()).isEqualTo(subject));
        assertThat(http.get("/subjects?deleted=true").json()).anySatisfy(s -> assertThat(s.asText()).isEqualTo(subject));
        assertThat(http.get("/subjects/" + subject + "/versions/latest").errorCode()).isEqualTo(40401);
        assertThat(http.get("/schemas/ids/" + id1).status()).as("ids stay readable").isEqualTo(200);
        assertThat(http.delete("/subjects/" + subject).errorCode()).isEqualTo(40401);
    }

    @Test
    void rootTypesModeAndAssociations() {
        RawHttp.Reply root = http.get("/");
        assertThat(root.status()).isEqualTo(200);
        assertThat(root.json()).hasToString("{}");
        assertThat(root.contentType()).startsWith("application/vnd.schemaregistry.v1+json");
        assertThat(http.get("/schemas/types").json()).hasToString("[\"AVRO\"]");
        assertThat(http.get("/mode").json()).hasToString("{\"mode\":\"READWRITE\"}");

        RawHttp.Reply associations = http.get("/associations/resources/-/orders?resourceType=topic&associationType=value");
        assertThat(associations.status()).isEqualTo(404);
        assertThat(associations.errorCode()).isEqualTo(404);
        assertThat(http.get("/no/such/path").status()).isEqualTo(404);
        assertThat(http.put("/subjects", "{}").status()).isEqualTo(405);
    }

    @Test
    void subjectNamesWithSpacesAndPlusSignsRoundTrip() {
        String subject = "team notes+drafts-value";
        Schema v1 = new Schema.Parser().parse(NOTE_V1.replace("test.rest", "test.encoded"));

        int id = client.register(subject, v1);

        assertThat(client.subjects()).contains(subject);
        assertThat(client.latest(subject)).isEqualTo(new RegisteredSchema(subject, id, 1, v1));
        assertThat(http.get("/subjects/team%20notes%2Bdrafts-value/versions/1").json().get("subject").asText()).isEqualTo(subject);
        assertThat(http.get("/subjects/team%20notes+drafts-value/versions").json()).hasToString("[1]");
    }

    @Test
    void concurrentRegistrationsGetDistinctIdsAndOneVersionPerSchema() throws Exception {
        int distinct = 6;
        int repeats = 4;
        List<java.util.concurrent.Callable<Integer>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < distinct; i++) {
            String schema = NOTE_V1.replace("test.rest", "test.parallel" + i);
            calls.add(() -> http.post("/subjects/parallel-" + schema.hashCode() + "-value/versions", schemaBody(schema)).json().get("id").asInt());
        }
        String shared = NOTE_V1.replace("test.rest", "test.parallel.shared");
        for (int i = 0; i < repeats; i++) {
            calls.add(() -> http.post("/subjects/parallel-shared-value/versions", schemaBody(shared)).json().get("id").asInt());
        }
        var pool = java.util.concurrent.Executors.newFixedThreadPool(5);
        List<Integer> ids = new java.util.ArrayList<>();
        try {
            for (var f : pool.invokeAll(calls)) {
                ids.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(ids).hasSize(distinct + repeats).allSatisfy(id -> assertThat(id).isPositive());
        assertThat(ids.subList(0, distinct)).doesNotHaveDuplicates();
        assertThat(ids.subList(distinct, distinct + repeats)).containsOnly(ids.get(distinct));
        assertThat(java.util.Set.copyOf(ids)).hasSize(distinct + 1);
        assertThat(http.get("/subjects/parallel-shared-value/versions").json()).hasToString("[1]");
    }
}
