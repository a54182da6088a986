package dev.parley.schemas.registry.server;

import dev.parley.schemas.registry.RegistryException;
import java.util.Locale;
import org.apache.avro.Schema;

/**
 * Parses schema text sent by clients. A schema's identity in the registry is its parsed form written
 * back as JSON ({@link Schema#toString()}): whitespace and key order do not matter, while docs, defaults
 * and aliases do (as with Confluent's registry without {@code normalize}).
 */
final class AvroSchemas {

    static final String AVRO = "AVRO";

    private AvroSchemas() {
    }

    /**
     * @param schemaType the request's {@code schemaType}, null meaning AVRO
     * @throws RegistryException 42201 when the type is not AVRO or the text is not a valid Avro schema
     */
    static Schema parse(String text, String schemaType) {
        if (schemaType != null && !AVRO.equals(schemaType.trim().toUpperCase(Locale.ROOT))) {
            throw new RegistryException(422, RegistryException.INVALID_SCHEMA, "Invalid schema: schemaType '" + schemaType
                    + "' is not supported by Parley's registry, which stores AVRO schemas only");
        }
        if (text == null || text.isBlank()) {
            throw new RegistryException(422, RegistryException.INVALID_SCHEMA, "Invalid schema: the schema is empty");
        }
        try {
            return new Schema.Parser().parse(text);
        } catch (RuntimeException e) { // SchemaParseException, AvroTypeException (bad default), ...
            throw new RegistryException(422, RegistryException.INVALID_SCHEMA, "Invalid schema: " + e.getMessage());
        }
    }

    /** The text that identifies a schema: its parsed form, written back as compact JSON. */
    static String canonical(Schema schema) {
        return schema.toString();
    }
}
