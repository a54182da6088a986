package dev.parley.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * docs/contracts/asyncapi.yaml (AsyncAPI 3.0) and openapi.yaml (OpenAPI 3.1) parse without errors with the official
 * parsers (@asyncapi/parser 3.6.3, @apidevtools/swagger-parser 13.1.0, pinned by src/test/js/package-lock.json).
 * Skipped, loudly, without node and npm — unless PARLEY_REQUIRE_NODE=1 (`./parley test` sets it), which fails.
 */
class ContractDocumentsTest {

    static final Path MODULE = Path.of("").toAbsolutePath();
    static final Path DOCS = MODULE.resolveSibling("docs").resolve("contracts");

    @Test
    void bothDocumentsParseWithTheOfficialParsers() throws Exception {
        Optional<String> missing = NodeTool.missing();
        if (missing.isPresent() && "1".equals(System.getenv("PARLEY_REQUIRE_NODE"))) {
            throw new IllegalStateException("PARLEY_REQUIRE_NODE=1 but " + missing.get());
        }
        assumeTrue(missing.isEmpty(), () -> "SKIPPED: the contract parsers need node and npm: " + missing.orElse(""));
        NodeTool node = NodeTool.install(MODULE);
        NodeTool.Run run = node.node("validate.mjs", DOCS.resolve("asyncapi.yaml").toString(), DOCS.resolve("openapi.yaml").toString());
        assertThat(run.result()).as("validator output: %s %s", run.stdout(), run.stderr()).isPresent();
        JsonNode r = new ObjectMapper().readTree(run.result().get());
        assertThat(r.path("asyncapi").path("errors")).as("AsyncAPI errors").isEmpty();
        assertThat(r.path("openapi").path("errors")).as("OpenAPI errors").isEmpty();
        assertThat(r.path("asyncapi").path("channels")).extracting(JsonNode::asText)
                .contains("/ws", "parley.log", "parley.commands", "parley.results", "parley.dlq");
        assertThat(r.path("openapi").path("version").asText()).startsWith("3.1");
        assertThat(r.path("openapi").path("paths").asInt()).isGreaterThanOrEqualTo(6);
    }
}
