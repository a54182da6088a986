package dev.parley.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.schemas.config.Env;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** docs/operations.md names every PARLEY_* variable the code, the scripts and the CLI's options read. */
class OperationsDocTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern VARIABLE = Pattern.compile("PARLEY_[A-Z0-9_]*[A-Z0-9]_?");

    private static String docs() throws IOException {
        return Files.readString(ROOT.resolve("docs/operations.md"));
    }

    @Test
    void everyVariableInTheSourcesAndScriptsIsDocumented() throws IOException {
        Set<String> used = new TreeSet<>();
        try (Stream<Path> files = Stream.of("schemas", "topology", "gateway", "notifier", "ops", "testkit", "connectors", "docker", ".ci")
                .map(ROOT::resolve).filter(Files::isDirectory).flatMap(OperationsDocTest::walk)) {
            files.filter(p -> p.toString().contains("/src/main/") || p.toString().contains("/docker/")
                            || p.toString().contains("/.ci/") || p.toString().contains("/src/test/java/dev/parley/ops/browser/"))
                    .filter(p -> !p.toString().contains("/target/"))
                    .forEach(p -> collect(p, used));
        }
        collect(ROOT.resolve("parley"), used);
        assertThat(used).contains("PARLEY_GATEWAY_PORT", "PARLEY_COMMIT_INTERVAL", "PARLEY_REGISTRY_HOST");
        String docs = docs();
        assertThat(used.stream().filter(v -> !docs.contains(v)).toList()).as("undocumented variables").isEmpty();
    }

    @Test
    void everyCliOptionsVariableIsDocumented() throws IOException {
        Set<String> names = new TreeSet<>();
        collectOptions(ParleyCli.commandLine(Env.of(Map.of())), names);
        assertThat(names).contains("PARLEY_DATA_DIR", "PARLEY_TTL", "PARLEY_PROGRESS_EVERY");
        String docs = docs();
        assertThat(names.stream().filter(v -> !docs.contains(v)).toList()).as("undocumented option variables").isEmpty();
    }

    private static void collectOptions(CommandLine cl, Set<String> names) {
        for (OptionSpec o : cl.getCommandSpec().options()) {
            String name = EnvDefaultProvider.envName(o);
            if (name != null) {
                names.add(name);
            }
        }
        cl.getSubcommands().values().forEach(sub -> collectOptions(sub, names));
    }

    private static Stream<Path> walk(Path dir) {
        try {
            return Files.walk(dir).filter(Files::isRegularFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void collect(Path file, Set<String> into) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            return; // binary or unreadable: no variables
        }
        Matcher m = VARIABLE.matcher(text);
        while (m.find()) {
            into.add(m.group());
        }
    }
}
