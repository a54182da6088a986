package dev.parley.schemas.registry;

import java.util.List;
import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry API that serializers and tools use. Implemented over
 * REST ({@link RestSchemaRegistryClient}), cached ({@link CachingSchemaRegistryClient}) and in memory
 * for {@code mock://} URLs.
 */
public interface SchemaRegistryClient {

    /** {@code POST /subjects/{subject}/versions}: registers (or finds) the schema, returns its global id. */
    int register(String subject, Schema schema);

    /** {@code GET /schemas/ids/{id}}. */
    Schema schemaById(int id);

    /** {@code GET /subjects/{subject}/versions/latest}. */
    RegisteredSchema latest(String subject);

    /** {@code GET /subjects/{subject}/versions/{version}}. */
    RegisteredSchema version(String subject, int version);

    /** {@code POST /subjects/{subject}}: the registration of exactly this schema under the subject. */
    RegisteredSchema lookup(String subject, Schema schema);

    /** {@code GET /subjects}. */
    List<String> subjects();

    /** {@code POST /compatibility/subjects/{subject}/versions/latest}: messages describing each incompatibility, empty when compatible. */
    List<String> compatibilityProblems(String subject, Schema schema);
}
