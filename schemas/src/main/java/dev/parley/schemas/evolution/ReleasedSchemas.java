package dev.parley.schemas.evolution;

import dev.parley.schemas.topics.Contract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;

/**
 * The released versions of every topic value schema, kept in the repository under
 * {@code schemas/released/<SchemaName>/v<N>.avsc}. Releasing copies the current schemas there when they
 * changed ({@code mvn -pl schemas exec:java -Dexec.mainClass=dev.parley.schemas.evolution.ReleasedSchemas});
 * the evolution guard test checks every current schema against every released version.
 */
public final class ReleasedSchemas {

    /** A released schema file. */
    public record Released(String name, int version, Path file, Schema schema) {
    }

    private final Path root;

    public ReleasedSchemas(Path root) {
        this.root = root;
    }

    public List<Released> versionsOf(String schemaName) {
        Path dir = root.resolve(schemaName);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Released> out = new ArrayList<>();
            for (Path f : files.filter(p -> p.getFileName().toString().matches("v\\d+\\.avsc")).toList()) {
                String n = f.getFileName().toString();
                int version = Integer.parseInt(n.substring(1, n.length() - ".avsc".length()));
                out.add(new Released(schemaName, version, f, new Schema.Parser().parse(Files.readString(f))));
            }
            out.sort(Comparator.comparingInt(Released::version));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Checks one schema against all its released versions. */
    public List<Incompatibility> check(Schema current) {
        List<Incompatibility> out = new ArrayList<>();
        for (Released r : versionsOf(current.getName())) {
            out.addAll(SchemaEvolutionGuard.check(current, r.schema(), r.name() + "/v" + r.version() + ".avsc"));
        }
        return out;
    }

    /** Writes {@code v<N+1>.avsc} for every contract whose current schema differs from its last release. */
    public List<Path> release() {
        List<Path> written = new ArrayList<>();
        for (Contract c : Contract.values()) {
            Schema current = c.valueSchema();
            List<Released> versions = versionsOf(current.getName());
            if (!versions.isEmpty() && versions.get(versions.size() - 1).schema().equals(current)) {
                continue;
            }
            List<Incompatibility> problems = check(current);
            if (!problems.isEmpty()) {
                throw new IllegalStateException("refusing to release incompatible schemas: " + problems);
            }
            Path file = root.resolve(current.getName()).resolve("v" + (versions.size() + 1) + ".avsc");
            try {
                Files.createDirectories(file.getParent());
                Files.writeString(file, current.toString(true) + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            written.add(file);
        }
        return written;
    }

    public static void main(String[] args) {
        Path root = Path.of(args.length > 0 ? args[0] : "released");
        List<Path> written = new ReleasedSchemas(root).release();
        System.out.println(written.isEmpty() ? "no schema changed since the last release" : "released: " + written);
    }
}
