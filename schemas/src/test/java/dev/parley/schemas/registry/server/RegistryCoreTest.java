package dev.parley.schemas.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.schemas.registry.RegisteredSchema;
import dev.parley.schemas.registry.RegistryException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The registry's rules, without HTTP or Kafka. */
class RegistryCoreTest {

    static final String V1 = """
            {"type":"record","name":"Note","namespace":"t","fields":[{"name":"text","type":"string"}]}""";
    /** V1 with whitespace and key order changed: the same schema. */
    static final String V1_REFORMATTED = """
            {  "namespace" : "t", "type" : "record",
               "name" : "Note",
               "fields" : [ { "type" : "string", "name" : "text" } ] }""";
    static final String V2_OPTIONAL_FIELD = """
            {"type":"record","name":"Note","namespace":"t","fields":[{"name":"text","type":"string"},
             {"name":"pinned","type":"boolean","default":false}]}""";
    static final String V2_REQUIRED_FIELD = """
            {"type":"record","name":"Note","namespace":"t","fields":[{"name":"text","type":"string"},
             {"name":"author","type":"string"}]}""";

    SchemaRegistryCore core;

    @BeforeEach
    void setUp() {
        core = SchemaRegistryCore.inMemory(CompatibilityLevel.BACKWARD);
    }

    @Test
    void sameSchemaUnderTwoSubjectsHasOneGlobalId() {
        RegisteredSchema a = core.register("a-value", V1, null);
        RegisteredSchema b = core.register("b-value", V1_REFORMATTED, "AVRO");

        assertThat(a.id()).isEqualTo(1);
        assertThat(b.id()).isEqualTo(a.id());
        assertThat(b.version()).isEqualTo(1);
        assertThat(core.subjects("", false)).containsExactly("a-value", "b-value");
        assertThat(core.usesOf(a.id(), false)).containsExactly(
                new SchemaRegistryCore.SubjectVersion("a-value", 1), new SchemaRegistryCore.SubjectVersion("b-value", 1));
    }

    @Test
    void registeringAnAlreadyRegisteredSchemaReturnsItWithoutANewVersion() {
        RegisteredSchema first = core.register("s", V1, null);
        RegisteredSchema again = core.register("s", V1_REFORMATTED, null);

        assertThat(again).isEqualTo(first);
        assertThat(core.versions("s", false)).containsExactly(1);
    }

    @Test
    void docsAndDefaultsArePartOfASchemasIdentity() {
        int plain = core.register("s", V1, null).id();
        int withDoc = core.register("s", V1.replace("\"name\":\"Note\"", "\"name\":\"Note\",\"doc\":\"a note\""), null).id();

        assertThat(withDoc).isNotEqualTo(plain);
        assertThat(core.versions("s", false)).containsExactly(1, 2);
    }

    @Test
    void idsGrowAndVersionsCountPerSubject() {
        assertThat(core.register("s", V1, null)).extracting(RegisteredSchema::id, RegisteredSchema::version).containsExactly(1, 1);
        assertThat(core.register("s", V2_OPTIONAL_FIELD, null)).extracting(RegisteredSchema::id, RegisteredSchema::version).containsExactly(2, 2);
        assertThat(core.register("other", V2_OPTIONAL_FIELD, null)).extracting(RegisteredSchema::id, RegisteredSchema::version).containsExactly(2, 1);
        assertThat(core.version("s", "latest", false).id()).isEqualTo(2);
        assertThat(core.version("s", "-1", false).version()).isEqualTo(2);
        assertThat(core.version("s", "1", false).schema().getFields()).hasSize(1);
        assertThat(core.lookup("s", V1_REFORMATTED, null, false)).extracting(RegisteredSchema::id, RegisteredSchema::version)
                .containsExactly(1, 1);
    }

    @Test
    void backwardIsTheDefaultAndRejectsANewFieldWithoutDefaultNamingIt() {
        core.register("s", V1, null);

        assertThatThrownBy(() -> core.register("s", V2_REQUIRED_FIELD, null))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.errorCode()).isEqualTo(RegistryException.INCOMPATIBLE);
                    assertThat(e.getMessage()).contains("BACKWARD", "field 'author'", "READER_FIELD_MISSING_DEFAULT_VALUE", "version 1");
                });
        assertThat(core.versions("s", false)).containsExactly(1);
        assertThat(core.register("s", V2_OPTIONAL_FIELD, null).version()).isEqualTo(2);
    }

    @Test
    void forwardRejectsRemovingAFieldOldReadersNeed() {
        core.setSubjectLevel("s", CompatibilityLevel.FORWARD);
        core.register("s", V2_REQUIRED_FIELD, null);

        assertThat(core.compatibilityProblems("s", "latest", V1, null))
                .singleElement().asString().contains("FORWARD", "version 1 (id 1) cannot read", "field 'author'");
        // adding a field is fine for old readers
        assertThat(core.compatibilityProblems("s", null, V2_REQUIRED_FIELD.replace("}]}", "},{\"name\":\"x\",\"type\":\"int\"}]}"), null)).isEmpty();
    }

    @Test
    void fullChecksBothDirections() {
        core.setGlobalLevel(CompatibilityLevel.FULL);
        core.register("s", V1, null);

        assertThat(core.compatibilityProblems("s", "latest", V2_OPTIONAL_FIELD, null)).isEmpty();
        assertThat(core.compatibilityProblems("s", "latest", V2_REQUIRED_FIELD, null))
                .anySatisfy(m -> assertThat(m).startsWith("FULL: the new schema cannot read").contains("'author'"));
    }

    @Test
    void transitiveLevelsCheckEveryLiveVersionWhileTheOthersCheckOnlyTheLatest() {
        String v1 = record("{\"name\":\"f\",\"type\":\"string\"}");
        String v2 = record("");
        String v3 = record("{\"name\":\"f\",\"type\":\"int\",\"default\":0}");
        core.register("plain", v1, null);
        core.register("plain", v2, null);
        core.setSubjectLevel("transitive", CompatibilityLevel.BACKWARD_TRANSITIVE);
        core.register("transitive", v1, null);
        core.register("transitive", v2, null);

        assertThat(core.register("plain", v3, null).version()).isEqualTo(3);
        assertThatThrownBy(() -> core.register("transitive", v3, null))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.getMessage())
                        .contains("BACKWARD_TRANSITIVE", "version 1", "field 'f'", "TYPE_MISMATCH")
                        .doesNotContain("version 2 "));
        // a numbered version is checked alone
        assertThat(core.compatibilityProblems("transitive", "2", v3, null)).isEmpty();
        assertThat(core.compatibilityProblems("transitive", "1", v3, null)).hasSize(1);
    }

    @Test
    void noneAcceptsAnything() {
        core.setSubjectLevel("s", CompatibilityLevel.NONE);
        core.register("s", V1, null);
        assertThat(core.register("s", "\"string\"", null).version()).isEqualTo(2);
    }

    @Test
    void invalidSchemasAndOtherSchemaTypesAreRefusedWith42201() {
        assertThatThrownBy(() -> core.register("s", "{\"type\":\"record\",\"name\":\"X\",\"fields\":[{\"name\":\"a\",\"type\":\"nope\"}]}", null))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(RegistryException.INVALID_SCHEMA);
                    assertThat(e.getMessage()).contains("nope");
                });
        assertThatThrownBy(() -> core.register("s", "not json", null))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(42201));
        assertThatThrownBy(() -> core.register("s", "syntax = \"proto3\";", "PROTOBUF"))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(422);
                    assertThat(e.errorCode()).isEqualTo(42201);
                    assertThat(e.getMessage()).contains("PROTOBUF", "AVRO schemas only");
                });
        assertThat(core.subjects("", true)).isEmpty();
    }

    @Test
    void unknownSubjectVersionAndIdHaveTheirOwnCodes() {
        core.register("s", V1, null);

        assertThat(code(() -> core.version("missing", "latest", false))).isEqualTo(40401);
        assertThat(code(() -> core.versions("missing", false))).isEqualTo(40401);
        assertThat(code(() -> core.version("s", "7", false))).isEqualTo(40402);
        assertThat(code(() -> core.version("s", "0", false))).isEqualTo(42202);
        assertThat(code(() -> core.version("s", "first", false))).isEqualTo(42202);
        assertThat(code(() -> core.schemaById(99))).isEqualTo(40403);
        assertThat(code(() -> core.lookup("s", V2_OPTIONAL_FIELD, null, false))).isEqualTo(40403);
        assertThat(code(() -> core.lookup("missing", V1, null, false))).isEqualTo(40401);
        assertThat(code(() -> core.compatibilityProblems("missing", "1", V1, null))).isEqualTo(40401);
        assertThat(core.compatibilityProblems("missing", "latest", V1, null)).isEmpty();
    }

    @Test
    void softDeletionHidesVersionsButKeepsIdsAndNumbers() {
        int id1 = core.register("s", V1, null).id();
        core.register("s", V2_OPTIONAL_FIELD, null);

        assertThat(core.deleteVersion("s", "latest", false)).isEqualTo(2);
        assertThat(core.versions("s", false)).containsExactly(1);
        assertThat(core.versions("s", true)).containsExactly(1, 2);
        assertThat(core.version("s", "latest", false).version()).isEqualTo(1);
        assertThat(code(() -> core.version("s", "2", false))).isEqualTo(40402);
        assertThat(core.version("s", "2", true).id()).isEqualTo(2);
        assertThat(code(() -> core.deleteVersion("s", "2", false))).isEqualTo(40406);
        assertThat(core.schemaById(2).getField("pinned")).isNotNull();

        assertThat(core.deleteSubject("s", false)).containsExactly(1);
        assertThat(core.subjects("", false)).isEmpty();
        assertThat(core.subjects("", true)).containsExactly("s");
        assertThat(code(() -> core.versions("s", false))).isEqualTo(40401);

        RegisteredSchema again = core.register("s", V1, null);
        assertThat(again.id()).isEqualTo(id1);
        assertThat(again.version()).isEqualTo(3);
        assertThat(code(() -> core.deleteSubject("s", true))).isEqualTo(42205);
    }

    @Test
    void compatibilityLevelsAreConfigurableGloballyAndPerSubject() {
        assertThat(core.globalLevel()).isEqualTo(CompatibilityLevel.BACKWARD);
        assertThat(core.subjectLevel("s")).isEmpty();
        assertThat(code(() -> core.clearSubjectLevel("s"))).isEqualTo(40408);

        core.setGlobalLevel(CompatibilityLevel.FULL_TRANSITIVE);
        core.setSubjectLevel("s", CompatibilityLevel.NONE);
        assertThat(core.effectiveLevel("s")).isEqualTo(CompatibilityLevel.NONE);
        assertThat(core.effectiveLevel("t")).isEqualTo(CompatibilityLevel.FULL_TRANSITIVE);
        assertThat(core.clearSubjectLevel("s")).isEqualTo(CompatibilityLevel.NONE);
        assertThat(core.effectiveLevel("s")).isEqualTo(CompatibilityLevel.FULL_TRANSITIVE);
        assertThat(core.resetGlobalLevel()).isEqualTo(CompatibilityLevel.FULL_TRANSITIVE);
        assertThat(core.globalLevel()).isEqualTo(CompatibilityLevel.BACKWARD);

        assertThat(CompatibilityLevel.parse("forward_transitive")).isEqualTo(CompatibilityLevel.FORWARD_TRANSITIVE);
        assertThat(code(() -> CompatibilityLevel.parse("SIDEWAYS"))).isEqualTo(42203);
    }

    private static String record(String fields) {
        return "{\"type\":\"record\",\"name\":\"R\",\"fields\":[" + fields + "]}";
    }

    private static int code(java.util.concurrent.Callable<?> call) {
        try {
            call.call();
        } catch (RegistryException e) {
            return e.errorCode();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected a RegistryException");
    }
}
