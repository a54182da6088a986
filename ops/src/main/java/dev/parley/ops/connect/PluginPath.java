package dev.parley.ops.connect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Lays out a Kafka Connect {@code plugin.path}: one folder that holds one folder per plugin, each with the
 * plugin's jars (Connect gives each such folder its own class loader). The jars are copied, so a rebuild
 * while the worker runs does not pull jars from under it.
 *
 * <p>A plugin folder must not hold its own copy of what the worker provides (Kafka clients, the Connect API
 * and runtime, Jackson, SLF4J): the copy is loaded first inside the plugin and clashes with the worker's
 * (e.g. {@code ServiceConfigurationError ... BlackbirdModule not a subtype}). Such a folder is refused.
 */
public final class PluginPath {

    /** Jars that belong to the worker, never to a plugin folder. */
    static final Pattern WORKER_JARS = Pattern.compile(
            "(kafka-clients|connect-api|connect-runtime|connect-json|connect-transforms|jackson-[a-z-]+|slf4j-[a-z0-9-]+)-\\d.*\\.jar");

    /** One laid-out plugin. */
    public record Plugin(String name, Path dir, int jars) {
    }

    private PluginPath() {
    }

    /**
     * Replaces {@code target} with a folder holding a copy of every plugin folder in {@code sources} (each by
     * its folder name).
     *
     * @throws IllegalArgumentException when a source is missing, holds no jar, holds a worker jar, or two
     *                                  sources have the same folder name
     */
    public static List<Plugin> layOut(Path target, List<Path> sources) {
        List<String> names = new ArrayList<>();
        for (Path source : sources) {
            check(source);
            String name = source.getFileName().toString();
            if (names.contains(name)) {
                throw new IllegalArgumentException("two plugin folders are named " + name + ": " + sources);
            }
            names.add(name);
        }
        try {
            deleteRecursively(target);
            Files.createDirectories(target);
            List<Plugin> plugins = new ArrayList<>();
            for (Path source : sources) {
                Path dir = target.resolve(source.getFileName().toString());
                Files.createDirectories(dir);
                int count = 0;
                for (Path jar : jars(source)) {
                    Files.copy(jar, dir.resolve(jar.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
                    count++;
                }
                plugins.add(new Plugin(dir.getFileName().toString(), dir, count));
            }
            return plugins;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lay out the plugin path in " + target + ": " + e.getMessage(), e);
        }
    }

    private static void check(Path source) {
        if (!Files.isDirectory(source)) {
            throw new IllegalArgumentException("plugin folder " + source + " does not exist (build it: mvn -pl connectors,"
                    + "connectors/worker -am package -DskipTests, or run ./parley connect start, which builds it)");
        }
        List<Path> jars = jars(source);
        if (jars.isEmpty()) {
            throw new IllegalArgumentException("plugin folder " + source + " holds no jar");
        }
        List<String> clashing = jars.stream().map(j -> j.getFileName().toString())
                .filter(n -> WORKER_JARS.matcher(n).matches()).toList();
        if (!clashing.isEmpty()) {
            throw new IllegalArgumentException("plugin folder " + source + " holds jars the Connect worker provides "
                    + clashing + "; a plugin's own copy breaks it: remove them from the plugin folder");
        }
    }

    private static List<Path> jars(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar") && Files.isRegularFile(f)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
