package dev.parley.connect.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The connector configurations shipped in connectors/config, read the way a worker gets them: the JSON's
 * "config" object, with {@code ${env:NAME}} placeholders (resolved by Connect's EnvVarConfigProvider in a
 * real worker) replaced from the given map, since a test cannot set its own environment.
 */
public final class ConnectorConfigs {

    private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)}");

    private ConnectorConfigs() {
    }

    public static Path dir() {
        return Path.of(System.getProperty("parley.connect.config.dir", "config"));
    }

    /** @return the connector's name and its config */
    public static Map.Entry<String, Map<String, String>> load(String file, Map<String, String> env) {
        try {
            JsonNode root = new ObjectMapper().readTree(Files.readString(dir().resolve(file)));
            Map<String, String> config = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> f : root.get("config").properties()) {
                config.put(f.getKey(), resolve(f.getValue().asText(), env));
            }
            return Map.entry(root.get("name").asText(), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String resolve(String value, Map<String, String> env) {
        Matcher m = ENV.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = env.get(m.group(1));
            if (v == null) {
                throw new IllegalArgumentException("no test value for ${env:" + m.group(1) + "}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }
}
