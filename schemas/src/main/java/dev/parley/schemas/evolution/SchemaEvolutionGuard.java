package dev.parley.schemas.evolution;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * Checks that a schema is BACKWARD compatible with released versions (a reader with the new schema can
 * read everything written with the old ones) and names the offending field in Avro field terms instead
 * of a JSON pointer. Because the committed log is kept forever, Parley checks against every released
 * version (BACKWARD_TRANSITIVE), not only the last.
 */
public final class SchemaEvolutionGuard {

    private SchemaEvolutionGuard() {
    }

    public static List<Incompatibility> check(Schema current, Schema released, String releasedName) {
        var result = SchemaCompatibility.checkReaderWriterCompatibility(current, released).getResult();
        List<Incompatibility> out = new ArrayList<>();
        for (var i : result.getIncompatibilities()) {
            out.add(new Incompatibility(current.getFullName(), releasedName, fieldPath(current, released, i.getLocation()),
                    i.getType() + ": " + i.getMessage()));
        }
        return out;
    }

    /**
     * Translates Avro's location pointer (e.g. {@code /fields/9/type/3/fields/1/type}) into field names
     * ({@code payload[MessagePosted].threadRoot}). Locations index the reader schema, except where a
     * field exists only in the writer (then the writer is walked instead).
     */
    static String fieldPath(Schema reader, Schema writer, String location) {
        String path = walk(reader, location);
        if (path == null) {
            path = walk(writer, location);
        }
        return path != null ? path : location;
    }

    private static String walk(Schema schema, String location) {
        String[] parts = location.split("/");
        StringBuilder path = new StringBuilder();
        Schema current = schema;
        try {
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i];
                switch (p) {
                    case "fields" -> {
                        Schema record = unwrapRecord(current);
                        Schema.Field f = record.getFields().get(Integer.parseInt(parts[++i]));
                        if (path.length() > 0) {
                            path.append('.');
                        }
                        path.append(f.name());
                        current = f.schema();
                    }
                    case "type", "name" -> {
                        // the field's own type: nothing to add
                    }
                    case "items" -> {
                        path.append("[]");
                        current = current.getElementType();
                    }
                    case "values" -> {
                        path.append("{}");
                        current = current.getValueType();
                    }
                    case "symbols", "size" -> {
                        return path.append(" (").append(p).append(')').toString();
                    }
                    default -> {
                        if (current.getType() == Schema.Type.UNION) {
                            Schema branch = current.getTypes().get(Integer.parseInt(p));
                            path.append('[').append(branch.getType() == Schema.Type.RECORD ? branch.getName() : branch.getType().getName()).append(']');
                            current = branch;
                        } else {
                            return path.length() == 0 ? null : path.toString();
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            return null; // pointer does not fit this schema
        }
        return path.length() == 0 ? "(the whole record)" : path.toString();
    }

    private static Schema unwrapRecord(Schema s) {
        if (s.getType() == Schema.Type.RECORD) {
            return s;
        }
        throw new IllegalArgumentException("not a record: " + s);
    }
}
