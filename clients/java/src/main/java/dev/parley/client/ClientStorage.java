package dev.parley.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** Where the client keeps its per-channel cursors and its outbox: JSON values by key. */
public interface ClientStorage {

    Optional<JsonNode> get(String key);

    void put(String key, JsonNode value);

    void delete(String key);

    /** Every key that starts with the prefix. */
    List<String> keys(String prefix);

    /** In memory: survives a new client on the same object, not the process. */
    static ClientStorage memory() {
        Map<String, JsonNode> m = new ConcurrentHashMap<>();
        return new ClientStorage() {
            public Optional<JsonNode> get(String key) {
                return Optional.ofNullable(m.get(key)).map(JsonNode::deepCopy);
            }

            public void put(String key, JsonNode value) {
                m.put(key, value.deepCopy());
            }

            public void delete(String key) {
                m.remove(key);
            }

            public List<String> keys(String prefix) {
                return m.keySet().stream().filter(k -> k.startsWith(prefix)).sorted().toList();
            }
        };
    }

    /** One JSON file per key in a directory, each written atomically (write, then rename): survives restarts. */
    static ClientStorage directory(Path dir) {
        ObjectMapper json = new ObjectMapper();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ClientStorage() {
            private Path file(String key) {
                return dir.resolve(URLEncoder.encode(key, StandardCharsets.UTF_8) + ".json");
            }

            public Optional<JsonNode> get(String key) {
                Path f = file(key);
                try {
                    return Files.exists(f) ? Optional.of(json.readTree(f.toFile())) : Optional.empty();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            public void put(String key, JsonNode value) {
                try {
                    Path tmp = Files.createTempFile(dir, ".tmp-", ".json");
                    json.writeValue(tmp.toFile(), value);
                    Files.move(tmp, file(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            public void delete(String key) {
                try {
                    Files.deleteIfExists(file(key));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            public List<String> keys(String prefix) {
                try (Stream<Path> files = Files.list(dir)) {
                    return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json") && !n.startsWith(".tmp-"))
                            .map(n -> URLDecoder.decode(n.substring(0, n.length() - 5), StandardCharsets.UTF_8))
                            .filter(k -> k.startsWith(prefix)).sorted().toList();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }
}
