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
        List<Incompatibility> out = new ArrayList<>();
        collect(current, released, "", current.getFullName(), releasedName, out);
        return out;
    }

    private static void collect(Schema reader, Schema writer, String prefix, String top, String releasedName,
                                List<Incompatibility> out) {
        var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
        for (var i : result.getIncompatibilities()) {
            String location = i.getLocation();
            Schema writerBranch = missingRecordBranch(i);
            if (writerBranch != null) {
                // A record branch changed incompatibly: Avro reports the whole branch as missing. Look inside it.
                Schema readerBranch = i.getReaderFragment().getTypes().stream()
                        .filter(b -> b.getType() == Schema.Type.RECORD && b.getFullName().equals(writerBranch.getFullName()))
                        .findFirst().orElse(null);
                String unionPath = join(prefix, fieldPath(reader, writer, location.substring(0, location.lastIndexOf('/'))));
                String branchPath = unionPath + "[" + writerBranch.getName() + "]";
                if (readerBranch != null) {
                    collect(readerBranch, writerBranch, branchPath, top, releasedName, out);
                    continue;
                }
                out.add(new Incompatibility(top, releasedName, branchPath, i.getType() + ": the union no longer has a "
                        + writerBranch.getFullName() + " branch"));
                continue;
            }
            String path = join(prefix, fieldPath(reader, writer, location));
            if (i.getType() == SchemaCompatibility.SchemaIncompatibilityType.READER_FIELD_MISSING_DEFAULT_VALUE
                    && !path.endsWith(i.getMessage())) {
                path = join(path.equals("(the whole record)") ? prefix : path, i.getMessage());
            }
            out.add(new Incompatibility(top, releasedName, path, i.getType() + ": " + i.getMessage()));
        }
    }

    /** For "reader union lacking writer type: RECORD", the writer's record branch the location points at. */
    private static Schema missingRecordBranch(SchemaCompatibility.Incompatibility i) {
        if (i.getType() != SchemaCompatibility.SchemaIncompatibilityType.MISSING_UNION_BRANCH
                || i.getReaderFragment().getType() != Schema.Type.UNION) {
            return null;
        }
        Schema w = i.getWriterFragment();
        if (w.getType() == Schema.Type.UNION) {
            String loc = i.getLocation();
            try {
                w = w.getTypes().get(Integer.parseInt(loc.substring(loc.lastIndexOf('/') + 1)));
            } catch (RuntimeException e) {
                return null;
            }
        }
        return w.getType() == Schema.Type.RECORD ? w : null;
    }

    private static String join(String prefix, String path) {
        if (prefix.isEmpty()) {
            return path;
        }
        if (path.isEmpty() || path.equals("(the whole record)")) {
            return prefix;
        }
        return path.startsWith("[") ? prefix + path : prefix + "." + path;
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
