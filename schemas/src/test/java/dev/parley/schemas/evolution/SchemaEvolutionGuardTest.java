package dev.parley.schemas.evolution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.schemas.topics.Contract;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The evolution guard: every topic value schema in src/main/avro must stay BACKWARD compatible with every
 * released version under schemas/released (the log is kept forever, so readers must read all of it).
 */
class SchemaEvolutionGuardTest {

    private static final ReleasedSchemas RELEASED = new ReleasedSchemas(Path.of("released"));

    @ParameterizedTest
    @EnumSource(Contract.class)
    void currentSchemaReadsEveryReleasedVersion(Contract contract) {
        assertThat(RELEASED.versionsOf(contract.valueSchema().getName()))
                .as("a released version of %s must be kept under schemas/released", contract.valueSchema().getName())
                .isNotEmpty();
        List<Incompatibility> problems = RELEASED.check(contract.valueSchema());
        assertThat(problems).as("BACKWARD compatibility of %s", contract.valueSchema().getFullName()).isEmpty();
    }

    @Test
    void aNewRequiredFieldInAPayloadIsCaughtAndNamed() throws IOException {
        Schema released = load("ChannelEvent-released.avsc");
        Schema broken = load("ChannelEvent-broken-new-required-field.avsc");

        List<Incompatibility> problems = SchemaEvolutionGuard.check(broken, released, "ChannelEvent/v1.avsc");

        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).fieldPath()).isEqualTo("payload[MessagePosted].mentions");
        assertThat(problems.get(0).problem()).contains("READER_FIELD_MISSING_DEFAULT_VALUE");
        assertThat(problems.get(0).toString()).contains("ChannelEvent/v1.avsc").contains("'payload[MessagePosted].mentions'");
    }

    @Test
    void aNarrowedTypeIsCaughtAndNamed() throws IOException {
        Schema released = load("ChannelEvent-released.avsc");
        Schema broken = load("ChannelEvent-broken-narrowed-type.avsc");

        List<Incompatibility> problems = SchemaEvolutionGuard.check(broken, released, "ChannelEvent/v1.avsc");

        assertThat(problems).extracting(Incompatibility::fieldPath).containsExactly("seq");
        assertThat(problems.get(0).problem()).contains("TYPE_MISMATCH");
    }

    @Test
    void addingAUnionBranchAndAnEnumSymbolIsBackwardCompatible() throws IOException {
        Schema released = load("ChannelEvent-released.avsc");
        String json = released.toString()
                .replace("\"MESSAGE\"]", "\"MESSAGE\",\"EDITED\"]")
                .replace("{\"type\":\"record\",\"name\":\"MessagePosted\"",
                        "{\"type\":\"record\",\"name\":\"MessageEdited\",\"fields\":[{\"name\":\"text\",\"type\":\"string\"}]},"
                                + "{\"type\":\"record\",\"name\":\"MessagePosted\"");
        Schema evolved = new Schema.Parser().parse(json);
        assertThat(evolved.getField("payload").schema().getTypes()).hasSize(5);

        assertThat(SchemaEvolutionGuard.check(evolved, released, "v1")).isEmpty();
    }

    private static Schema load(String name) throws IOException {
        try (InputStream in = SchemaEvolutionGuardTest.class.getResourceAsStream("/evolution/" + name)) {
            return new Schema.Parser().parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @Test
    void releasedFilesAreTheSchemasTheyClaimToBe() throws IOException {
        for (Contract c : Contract.values()) {
            var versions = RELEASED.versionsOf(c.valueSchema().getName());
            Path last = versions.get(versions.size() - 1).file();
            assertThat(new Schema.Parser().parse(Files.readString(last)).getFullName()).isEqualTo(c.valueSchema().getFullName());
        }
    }
}
