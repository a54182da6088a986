package dev.parley.schemas.registry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.schemas.registry.server.RegistryRecord.CompatibilityConfig;
import dev.parley.schemas.registry.server.RegistryRecord.SchemaVersion;
import java.io.IOException;
import java.util.Optional;

/**
 * Encodes {@link RegistryRecord}s as small JSON documents for the compacted storage topic. Keys are written
 * with a fixed field order so that every change of one thing has byte-identical keys (compaction keeps the
 * last one).
 *
 * <pre>
 * key   {"keytype":"SCHEMA","subject":"orders-value","version":1}
 * value {"subject":"orders-value","version":1,"id":7,"schemaType":"AVRO","schema":"{...}","deleted":false}
 * key   {"keytype":"CONFIG"}                         (global)   or {"keytype":"CONFIG","subject":"orders-value"}
 * value {"compatibilityLevel":"FULL"}                 or no value (a tombstone): the level was cleared
 * </pre>
 */
final class RecordCodec {

    static final String SCHEMA = "SCHEMA";
    static final String CONFIG = "CONFIG";
    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordCodec() {
    }

    static byte[] key(RegistryRecord record) {
        ObjectNode key = JSON.createObjectNode();
        if (record instanceof SchemaVersion v) {
            key.put("keytype", SCHEMA).put("subject", v.subject()).put("version", v.version());
        } else if (record instanceof CompatibilityConfig c) {
            key.put("keytype", CONFIG);
            if (c.subject() != null) {
                key.put("subject", c.subject());
            }
        }
        return bytes(key);
    }

    /** The value, or null (a tombstone) for a cleared compatibility level. */
    static byte[] value(RegistryRecord record) {
        if (record instanceof SchemaVersion v) {
            return bytes(JSON.createObjectNode().put("subject", v.subject()).put("version", v.version()).put("id", v.id())
                    .put("schemaType", AvroSchemas.AVRO).put("schema", v.schema()).put("deleted", v.deleted()));
        }
        CompatibilityConfig c = (CompatibilityConfig) record;
        return c.level() == null ? null : bytes(JSON.createObjectNode().put("compatibilityLevel", c.level().name()));
    }

    /**
     * @return the record, or empty for keys this version does not know (written by a newer registry) and for
     *         schema tombstones (Parley never writes them)
     * @throws IllegalArgumentException when the bytes are not a record of this format
     */
    static Optional<RegistryRecord> decode(byte[] keyBytes, byte[] valueBytes) {
        JsonNode key = read(keyBytes, "key");
        String type = key.path("keytype").asText("");
        if (SCHEMA.equals(type)) {
            if (valueBytes == null) {
                return Optional.empty();
            }
            JsonNode v = read(valueBytes, "value");
            String subject = v.path("subject").asText(null);
            if (subject == null || !v.path("version").canConvertToInt() || !v.path("id").canConvertToInt()
                    || !v.path("schema").isTextual() || v.path("version").asInt() < 1 || v.path("id").asInt() < 1) {
                throw new IllegalArgumentException("schema value lacks subject, version, id or schema: " + v);
            }
            return Optional.of(new SchemaVersion(subject, v.get("version").asInt(), v.get("id").asInt(),
                    v.get("schema").asText(), v.path("deleted").asBoolean(false)));
        }
        if (CONFIG.equals(type)) {
            String subject = key.hasNonNull("subject") ? key.get("subject").asText() : null;
            if (valueBytes == null) {
                return Optional.of(new CompatibilityConfig(subject, null));
            }
            JsonNode v = read(valueBytes, "value");
            return Optional.of(new CompatibilityConfig(subject, CompatibilityLevel.parse(v.path("compatibilityLevel").asText(null))));
        }
        return Optional.empty();
    }

    private static JsonNode read(byte[] bytes, String what) {
        if (bytes == null) {
            throw new IllegalArgumentException("record without a " + what);
        }
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException(what + " is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " is not JSON: " + e.getMessage(), e);
        }
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
