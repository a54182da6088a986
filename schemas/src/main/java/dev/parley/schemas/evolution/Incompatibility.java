package dev.parley.schemas.evolution;

/**
 * One way a new schema cannot read data written with a released one.
 *
 * @param schema       full name of the top-level schema
 * @param releasedFile the released version it was checked against
 * @param fieldPath    where, in field names, e.g. {@code payload[MessagePosted].threadRoot}
 * @param problem      Avro's incompatibility type and message
 */
public record Incompatibility(String schema, String releasedFile, String fieldPath, String problem) {
    @Override
    public String toString() {
        return schema + " cannot read data written with " + releasedFile + ": field '" + fieldPath + "': " + problem;
    }
}
