package dev.parley.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The contract test: every frame type, field, event kind and error code that the gateway sent to the test clients
 * of this build (gateway and ops integration tests, the Java client's among them; testkit FrameLog:
 * {@code <module>/target/frames/<run>-*.jsonl})
 * is in docs/contracts/asyncapi.yaml — and, in a full run, everything the document promises was received at least
 * once (or is listed under x-parley-contract.unobserved with a reason).
 *
 * <p>Run alone (no frames from this build) it skips with a message; {@code PARLEY_REQUIRE_FRAMES=1} (set by
 * {@code ./parley test}, i.e. CI) makes a missing capture fail and turns the reverse check on.
 */
class FrameContractTest {

    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final List<String> PRODUCERS = List.of("gateway", "ops");
    static final boolean FULL_RUN = "1".equals(System.getenv("PARLEY_REQUIRE_FRAMES"));

    @Test
    void everyFrameTheGatewaySentIsDocumentedAndEverythingDocumentedWasSent() throws IOException {
        String run = System.getProperty("parley.frames.run", "manual");
        Map<String, Integer> framesPerModule = new TreeMap<>();
        List<JsonNode> frames = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String module : PRODUCERS) {
            Path dir = ROOT.resolve(module).resolve("target/frames");
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.getFileName().toString().startsWith(run + "-")).toList()) {
                    for (String line : Files.readAllLines(f)) {
                        if (!line.isBlank()) {
                            frames.add(json.readTree(line));
                            framesPerModule.merge(module, 1, Integer::sum);
                        }
                    }
                }
            }
        }
        String none = "no frames captured in this build (run " + run + "): one of the modules whose tests capture "
                + "them (" + PRODUCERS + ") did not run before this test (run the whole build, e.g. ./parley test)";
        if (FULL_RUN) {
            assertThat(framesPerModule.keySet()).as(none).containsExactlyInAnyOrderElementsOf(PRODUCERS);
        }
        assumeTrue(!frames.isEmpty(), () -> "SKIPPED: " + none);

        FrameContract contract = new FrameContract(new YAMLMapper().readTree(ROOT.resolve("docs/contracts/asyncapi.yaml").toFile()));
        Set<String> documented = contract.documented();
        Map<String, String> undocumented = new TreeMap<>();
        Set<String> observed = new TreeSet<>();
        for (JsonNode f : frames) {
            for (String path : contract.observe(f)) {
                observed.add(path);
                if (!documented.contains(path)) {
                    undocumented.putIfAbsent(path, f.toString());
                }
            }
        }
        assertThat(undocumented).as("sent by the gateway but not in docs/contracts/asyncapi.yaml (path -> a frame); "
                + "frames per module: %s", framesPerModule).isEmpty();

        Map<String, String> excused = contract.excused();
        assertThat(excused.keySet()).as("x-parley-contract.unobserved names paths the document does not have").isSubsetOf(documented);
        assertThat(excused).as("every x-parley-contract.unobserved entry gives its reason").allSatisfy((path, reason) ->
                assertThat(reason).as(path).isNotBlank());
        if (FULL_RUN) {
            Set<String> neverSent = new TreeSet<>(documented);
            neverSent.removeAll(observed);
            neverSent.removeAll(excused.keySet());
            assertThat(neverSent).as("documented in asyncapi.yaml but never received in the integration tests: test it, "
                    + "or list it under x-parley-contract.unobserved with the reason").isEmpty();
            Set<String> staleExcuses = new TreeSet<>(excused.keySet());
            staleExcuses.retainAll(observed);
            assertThat(staleExcuses).as("listed as unobserved but received: remove from x-parley-contract.unobserved").isEmpty();
        }
    }
}
