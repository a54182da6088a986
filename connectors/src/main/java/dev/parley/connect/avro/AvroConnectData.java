package dev.parley.connect.avro;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema.Type;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * Maps Avro schemas and generic data to Kafka Connect schemas and values, and back.
 *
 * <p>Avro to Connect:
 * <ul>
 *   <li>records become structs named by the record's full name (with its doc);</li>
 *   <li>{@code ["null", T]} (either order) becomes an optional {@code T}: how Parley adds fields
 *       compatibly, so a newer writer schema simply yields a struct with one more optional field;</li>
 *   <li>other unions become a struct with one optional field per branch, named after the branch (the record,
 *       enum or fixed name, else the Avro type name), exactly one set; the struct carries the parameter
 *       {@value #UNION};</li>
 *   <li>enums become strings (parameters {@value #ENUM} and {@value #ENUM_SYMBOLS});</li>
 *   <li>logical types: {@code timestamp-millis} to Connect {@link Timestamp}, {@code date} to {@link Date},
 *       {@code time-millis} to {@link Time}, {@code decimal} to {@link Decimal}; the others
 *       ({@code timestamp-micros}, {@code uuid}, ...) keep their base type, with parameter {@value #LOGICAL_TYPE};</li>
 *   <li>maps become string-keyed maps, fixed and bytes become bytes.</li>
 * </ul>
 * Connect to Avro is the reverse: a Connect schema that this class made maps back to the very Avro schema it
 * came from (so re-serialized data registers under the same schema id), others are translated field by field.
 *
 * <p>Thread-safe; schemas are cached (Avro schema to Connect schema and back).
 */
public final class AvroConnectData {

    /** Parameter on a Connect struct that stands for an Avro union (value: "true"). */
    public static final String UNION = "parley.avro.union";
    /** Parameter on a Connect string that was an Avro enum (value: the enum's full name). */
    public static final String ENUM = "parley.avro.enum";
    /** Comma-separated symbols of the Avro enum. */
    public static final String ENUM_SYMBOLS = "parley.avro.enum.symbols";
    /** Parameter naming an Avro logical type that has no Connect counterpart. */
    public static final String LOGICAL_TYPE = "parley.avro.logicalType";
    /** Parameter on a Connect record struct: the Avro record's full name (also the struct's name). */
    public static final String RECORD = "parley.avro.record";

    private record Key(org.apache.avro.Schema avro, boolean optional) {
    }

    private final Map<Key, Schema> toConnect = new ConcurrentHashMap<>();
    private final Map<Schema, org.apache.avro.Schema> toAvro = new ConcurrentHashMap<>();

    // ---------------------------------------------------------------- Avro -> Connect: schemas

    /** The Connect schema of an Avro schema (a top-level record value is required). */
    public Schema toConnectSchema(org.apache.avro.Schema avro) {
        return connectSchema(avro, false);
    }

    private Schema connectSchema(org.apache.avro.Schema avro, boolean optional) {
        Key key = new Key(avro, optional);
        Schema cached = toConnect.get(key);
        if (cached != null) {
            return cached;
        }
        Schema built = buildConnectSchema(avro, optional, new IdentityHashMap<>());
        toConnect.putIfAbsent(key, built);
        toAvro.putIfAbsent(built, avro);
        return toConnect.get(key);
    }

    private Schema buildConnectSchema(org.apache.avro.Schema avro, boolean optional,
                                      IdentityHashMap<org.apache.avro.Schema, Boolean> inProgress) {
        if (avro.getType() == Type.UNION) {
            org.apache.avro.Schema single = nullableBranch(avro);
            if (single != null) {
                return buildConnectSchema(single, true, inProgress);
            }
        }
        SchemaBuilder b = builderFor(avro, inProgress);
        if (optional) {
            b.optional();
        }
        if (avro.getDoc() != null && b.doc() == null) {
            b.doc(avro.getDoc());
        }
        return b.build();
    }

    private SchemaBuilder builderFor(org.apache.avro.Schema avro, IdentityHashMap<org.apache.avro.Schema, Boolean> inProgress) {
        LogicalType logical = avro.getLogicalType();
        switch (avro.getType()) {
            case NULL:
                throw new DataException("a bare Avro null type has no Connect counterpart");
            case BOOLEAN:
                return SchemaBuilder.bool();
            case INT:
                if (logical instanceof LogicalTypes.Date) {
                    return Date.builder();
                }
                if (logical instanceof LogicalTypes.TimeMillis) {
                    return Time.builder();
                }
                return withLogical(SchemaBuilder.int32(), logical);
            case LONG:
                if (logical instanceof LogicalTypes.TimestampMillis) {
                    return Timestamp.builder();
                }
                return withLogical(SchemaBuilder.int64(), logical);
            case FLOAT:
                return SchemaBuilder.float32();
            case DOUBLE:
                return SchemaBuilder.float64();
            case STRING:
                return withLogical(SchemaBuilder.string(), logical);
            case BYTES:
            case FIXED:
                if (logical instanceof LogicalTypes.Decimal d) {
                    return Decimal.builder(d.getScale()).parameter("connect.decimal.precision", Integer.toString(d.getPrecision()));
                }
                return withLogical(SchemaBuilder.bytes(), logical);
            case ENUM:
                return SchemaBuilder.string()
                        .parameter(ENUM, avro.getFullName())
                        .parameter(ENUM_SYMBOLS, String.join(",", avro.getEnumSymbols()));
            case ARRAY:
                return SchemaBuilder.array(buildConnectSchema(avro.getElementType(), false, inProgress));
            case MAP:
                return SchemaBuilder.map(Schema.STRING_SCHEMA, buildConnectSchema(avro.getValueType(), false, inProgress));
            case RECORD: {
                if (inProgress.put(avro, Boolean.TRUE) != null) {
                    throw new DataException("recursive Avro record " + avro.getFullName() + " cannot be expressed as a Connect schema");
                }
                SchemaBuilder b = SchemaBuilder.struct().name(avro.getFullName()).parameter(RECORD, avro.getFullName());
                for (org.apache.avro.Schema.Field f : avro.getFields()) {
                    Schema fs = buildConnectSchema(f.schema(), false, inProgress);
                    if (f.doc() != null && fs.doc() == null) {
                        fs = withDoc(fs, f.doc());
                    }
                    b.field(f.name(), fs);
                }
                inProgress.remove(avro);
                return b;
            }
            case UNION: {
                SchemaBuilder b = SchemaBuilder.struct().parameter(UNION, "true");
                Set<String> used = new HashSet<>();
                for (org.apache.avro.Schema branch : avro.getTypes()) {
                    if (branch.getType() == Type.NULL) {
                        continue;
                    }
                    String name = branchName(branch);
                    if (!used.add(name)) {
                        name = branch.getFullName().replace('.', '_');
                        used.add(name);
                    }
                    b.field(name, buildConnectSchema(branch, true, inProgress));
                }
                return b;
            }
            default:
                throw new DataException("unsupported Avro type " + avro.getType());
        }
    }

    private static SchemaBuilder withLogical(SchemaBuilder b, LogicalType logical) {
        return logical == null ? b : b.parameter(LOGICAL_TYPE, logical.getName());
    }

    /** A copy of a built schema with a doc (Connect schemas are immutable). */
    private static Schema withDoc(Schema s, String doc) {
        SchemaBuilder b = copyOf(s);
        b.doc(doc);
        return b.build();
    }

    private static SchemaBuilder copyOf(Schema s) {
        SchemaBuilder b = switch (s.type()) {
            case STRUCT -> {
                SchemaBuilder sb = SchemaBuilder.struct();
                for (Field f : s.fields()) {
                    sb.field(f.name(), f.schema());
                }
                yield sb;
            }
            case ARRAY -> SchemaBuilder.array(s.valueSchema());
            case MAP -> SchemaBuilder.map(s.keySchema(), s.valueSchema());
            default -> SchemaBuilder.type(s.type());
        };
        if (s.name() != null) {
            b.name(s.name());
        }
        if (s.version() != null) {
            b.version(s.version());
        }
        if (s.parameters() != null) {
            b.parameters(s.parameters());
        }
        if (s.isOptional()) {
            b.optional();
        }
        return b;
    }

    /** The non-null branch of {@code ["null", T]} / {@code [T, "null"]}, else null. */
    static org.apache.avro.Schema nullableBranch(org.apache.avro.Schema union) {
        List<org.apache.avro.Schema> types = union.getTypes();
        if (types.size() != 2) {
            return null;
        }
        if (types.get(0).getType() == Type.NULL) {
            return types.get(1);
        }
        if (types.get(1).getType() == Type.NULL) {
            return types.get(0);
        }
        return null;
    }

    static String branchName(org.apache.avro.Schema branch) {
        return switch (branch.getType()) {
            case RECORD, ENUM, FIXED -> branch.getName();
            default -> branch.getType().getName();
        };
    }

    // ---------------------------------------------------------------- Avro -> Connect: values

    /** The Connect value of an Avro generic datum (as GenericDatumReader returns it) under {@code connectSchema}. */
    public Object toConnectValue(Schema connectSchema, org.apache.avro.Schema avro, Object datum) {
        if (datum == null) {
            if (!connectSchema.isOptional()) {
                throw new DataException("null for required " + avro);
            }
            return null;
        }
        if (avro.getType() == Type.UNION) {
            org.apache.avro.Schema single = nullableBranch(avro);
            if (single != null) {
                return toConnectValue(connectSchema, single, datum);
            }
            int index = GenericData.get().resolveUnion(avro, datum);
            org.apache.avro.Schema branch = avro.getTypes().get(index);
            if (branch.getType() == Type.NULL) {
                return null;
            }
            Struct union = new Struct(connectSchema);
            Field field = unionField(connectSchema, avro, branch);
            union.put(field, toConnectValue(field.schema(), branch, datum));
            return union;
        }
        LogicalType logical = avro.getLogicalType();
        switch (avro.getType()) {
            case BOOLEAN:
            case FLOAT:
            case DOUBLE:
                return datum;
            case INT:
                if (logical instanceof LogicalTypes.Date) {
                    return new java.util.Date(TimeUnit.DAYS.toMillis(((Number) datum).intValue()));
                }
                if (logical instanceof LogicalTypes.TimeMillis) {
                    return new java.util.Date(((Number) datum).intValue());
                }
                return ((Number) datum).intValue();
            case LONG:
                if (logical instanceof LogicalTypes.TimestampMillis) {
                    return datum instanceof java.time.Instant i ? java.util.Date.from(i) : new java.util.Date(((Number) datum).longValue());
                }
                return ((Number) datum).longValue();
            case STRING:
                return datum.toString();
            case ENUM:
                return datum instanceof GenericEnumSymbol<?> e ? e.toString() : datum.toString();
            case BYTES:
            case FIXED: {
                byte[] bytes = datum instanceof GenericFixed f ? f.bytes().clone() : toBytes((ByteBuffer) datum);
                if (logical instanceof LogicalTypes.Decimal d) {
                    return new BigDecimal(new BigInteger(bytes), d.getScale());
                }
                return bytes;
            }
            case ARRAY: {
                Collection<?> items = (Collection<?>) datum;
                List<Object> out = new ArrayList<>(items.size());
                for (Object item : items) {
                    out.add(toConnectValue(connectSchema.valueSchema(), avro.getElementType(), item));
                }
                return out;
            }
            case MAP: {
                Map<?, ?> in = (Map<?, ?>) datum;
                Map<String, Object> out = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : in.entrySet()) {
                    out.put(e.getKey().toString(), toConnectValue(connectSchema.valueSchema(), avro.getValueType(), e.getValue()));
                }
                return out;
            }
            case RECORD: {
                IndexedRecord record = (IndexedRecord) datum;
                Struct struct = new Struct(connectSchema);
                for (org.apache.avro.Schema.Field f : avro.getFields()) {
                    Field cf = connectSchema.field(f.name());
                    struct.put(cf, toConnectValue(cf.schema(), f.schema(), record.get(f.pos())));
                }
                return struct;
            }
            default:
                throw new DataException("unsupported Avro type " + avro.getType());
        }
    }

    private static Field unionField(Schema unionSchema, org.apache.avro.Schema union, org.apache.avro.Schema branch) {
        Field field = unionSchema.field(branchName(branch));
        if (field != null && sameBranch(field.schema(), branch)) {
            return field;
        }
        Field full = unionSchema.field(branch.getFullName().replace('.', '_'));
        if (full != null) {
            return full;
        }
        if (field != null) {
            return field;
        }
        throw new DataException("union " + union + " has no Connect field for branch " + branch.getFullName());
    }

    private static boolean sameBranch(Schema connect, org.apache.avro.Schema branch) {
        return switch (branch.getType()) {
            case RECORD -> branch.getFullName().equals(connect.name());
            case ENUM -> branch.getFullName().equals(connect.parameters() == null ? null : connect.parameters().get(ENUM));
            default -> true;
        };
    }

    private static byte[] toBytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    // ---------------------------------------------------------------- Connect -> Avro: schemas

    /** The Avro schema for a Connect schema: the original one where this instance made the Connect schema. */
    public org.apache.avro.Schema toAvroSchema(Schema connect) {
        org.apache.avro.Schema known = toAvro.get(connect);
        if (known != null) {
            return known;
        }
        org.apache.avro.Schema built = avroSchema(connect, new HashMap<>());
        toAvro.putIfAbsent(connect, built);
        return built;
    }

    private org.apache.avro.Schema avroSchema(Schema connect, Map<String, org.apache.avro.Schema> names) {
        org.apache.avro.Schema base = avroBase(connect, names);
        if (!connect.isOptional() || base.getType() == Type.UNION && base.getTypes().get(0).getType() == Type.NULL) {
            return base;
        }
        if (base.getType() == Type.UNION) {
            List<org.apache.avro.Schema> types = new ArrayList<>();
            types.add(org.apache.avro.Schema.create(Type.NULL));
            types.addAll(base.getTypes());
            return org.apache.avro.Schema.createUnion(types);
        }
        return org.apache.avro.Schema.createUnion(org.apache.avro.Schema.create(Type.NULL), base);
    }

    private org.apache.avro.Schema avroBase(Schema connect, Map<String, org.apache.avro.Schema> names) {
        String name = connect.name();
        Map<String, String> params = connect.parameters() == null ? Map.of() : connect.parameters();
        switch (connect.type()) {
            case INT8:
            case INT16:
                return org.apache.avro.Schema.create(Type.INT);
            case INT32:
                if (Date.LOGICAL_NAME.equals(name)) {
                    return LogicalTypes.date().addToSchema(org.apache.avro.Schema.create(Type.INT));
                }
                if (Time.LOGICAL_NAME.equals(name)) {
                    return LogicalTypes.timeMillis().addToSchema(org.apache.avro.Schema.create(Type.INT));
                }
                return logical(org.apache.avro.Schema.create(Type.INT), params);
            case INT64:
                if (Timestamp.LOGICAL_NAME.equals(name)) {
                    return LogicalTypes.timestampMillis().addToSchema(org.apache.avro.Schema.create(Type.LONG));
                }
                return logical(org.apache.avro.Schema.create(Type.LONG), params);
            case FLOAT32:
                return org.apache.avro.Schema.create(Type.FLOAT);
            case FLOAT64:
                return org.apache.avro.Schema.create(Type.DOUBLE);
            case BOOLEAN:
                return org.apache.avro.Schema.create(Type.BOOLEAN);
            case STRING:
                if (params.containsKey(ENUM)) {
                    String full = params.get(ENUM);
                    org.apache.avro.Schema known = names.get(full);
                    if (known != null) {
                        return known;
                    }
                    int dot = full.lastIndexOf('.');
                    org.apache.avro.Schema e = org.apache.avro.Schema.createEnum(full.substring(dot + 1), null,
                            dot < 0 ? null : full.substring(0, dot), List.of(params.getOrDefault(ENUM_SYMBOLS, "").split(",")));
                    names.put(full, e);
                    return e;
                }
                return logical(org.apache.avro.Schema.create(Type.STRING), params);
            case BYTES:
                if (Decimal.LOGICAL_NAME.equals(name)) {
                    int scale = Integer.parseInt(params.get(Decimal.SCALE_FIELD));
                    int precision = Integer.parseInt(params.getOrDefault("connect.decimal.precision", "64"));
                    return LogicalTypes.decimal(precision, scale).addToSchema(org.apache.avro.Schema.create(Type.BYTES));
                }
                return org.apache.avro.Schema.create(Type.BYTES);
            case ARRAY:
                return org.apache.avro.Schema.createArray(avroSchema(connect.valueSchema(), names));
            case MAP:
                if (connect.keySchema().type() != Schema.Type.STRING) {
                    throw new DataException("Avro maps have string keys; cannot express a map keyed by " + connect.keySchema().type());
                }
                return org.apache.avro.Schema.createMap(avroSchema(connect.valueSchema(), names));
            case STRUCT: {
                if ("true".equals(params.get(UNION))) {
                    List<org.apache.avro.Schema> branches = new ArrayList<>();
                    for (Field f : connect.fields()) {
                        org.apache.avro.Schema branch = avroSchema(f.schema(), names);
                        org.apache.avro.Schema nonNull = branch.getType() == Type.UNION ? nullableBranch(branch) : branch;
                        branches.add(nonNull == null ? branch : nonNull);
                    }
                    return org.apache.avro.Schema.createUnion(branches);
                }
                String full = name == null ? "dev.parley.connect.ConnectRecord" : avroName(name);
                org.apache.avro.Schema known = names.get(full);
                if (known != null) {
                    return known;
                }
                int dot = full.lastIndexOf('.');
                org.apache.avro.Schema record = org.apache.avro.Schema.createRecord(full.substring(dot + 1), connect.doc(),
                        dot < 0 ? null : full.substring(0, dot), false);
                names.put(full, record);
                List<org.apache.avro.Schema.Field> fields = new ArrayList<>();
                for (Field f : connect.fields()) {
                    org.apache.avro.Schema fs = avroSchema(f.schema(), names);
                    Object defaultValue = f.schema().isOptional() ? JsonProperties.NULL_VALUE : null;
                    fields.add(new org.apache.avro.Schema.Field(f.name(), fs, f.schema().doc(), defaultValue));
                }
                record.setFields(fields);
                return record;
            }
            default:
                throw new DataException("unsupported Connect type " + connect.type());
        }
    }

    private static org.apache.avro.Schema logical(org.apache.avro.Schema base, Map<String, String> params) {
        String logical = params.get(LOGICAL_TYPE);
        if (logical != null) {
            base.addProp("logicalType", logical);
        }
        return base;
    }

    /** A Connect schema name as a valid Avro full name. */
    static String avroName(String connectName) {
        StringBuilder out = new StringBuilder(connectName.length());
        boolean start = true;
        for (char c : connectName.toCharArray()) {
            if (c == '.') {
                out.append('.');
                start = true;
                continue;
            }
            boolean ok = start ? Character.isLetter(c) || c == '_' : Character.isLetterOrDigit(c) || c == '_';
            out.append(ok && c < 128 ? c : '_');
            start = false;
        }
        return out.toString();
    }

    // ---------------------------------------------------------------- Connect -> Avro: values

    /** The Avro generic datum of a Connect value under {@code avro} (the schema {@link #toAvroSchema} gave). */
    public Object toAvroValue(Schema connect, org.apache.avro.Schema avro, Object value) {
        if (value == null) {
            if (connect != null && !connect.isOptional() && connect.defaultValue() == null) {
                throw new DataException("null for required Connect schema " + connect);
            }
            return null;
        }
        if (avro.getType() == Type.UNION) {
            org.apache.avro.Schema single = nullableBranch(avro);
            if (single != null) {
                return toAvroValue(connect, single, value);
            }
            if (connect.type() == Schema.Type.STRUCT && connect.parameters() != null && "true".equals(connect.parameters().get(UNION))) {
                Struct s = (Struct) value;
                for (Field f : connect.fields()) {
                    Object branchValue = s.get(f);
                    if (branchValue != null) {
                        org.apache.avro.Schema branch = avro.getTypes().stream()
                                .filter(t -> t.getType() != Type.NULL && (f.name().equals(branchName(t))
                                        || f.name().equals(t.getFullName().replace('.', '_'))))
                                .findFirst()
                                .orElseThrow(() -> new DataException("no Avro branch for union field " + f.name()));
                        return toAvroValue(f.schema(), branch, branchValue);
                    }
                }
                return null;
            }
            throw new DataException("Connect value of type " + connect.type() + " for Avro union " + avro);
        }
        LogicalType logical = avro.getLogicalType();
        switch (avro.getType()) {
            case BOOLEAN:
            case FLOAT:
            case DOUBLE:
            case STRING:
                return value;
            case INT:
                if (logical instanceof LogicalTypes.Date) {
                    return (int) TimeUnit.MILLISECONDS.toDays(((java.util.Date) value).getTime());
                }
                if (logical instanceof LogicalTypes.TimeMillis) {
                    return (int) ((java.util.Date) value).getTime();
                }
                return ((Number) value).intValue();
            case LONG:
                if (value instanceof java.util.Date d) {
                    return d.getTime();
                }
                return ((Number) value).longValue();
            case ENUM:
                return new GenericData.EnumSymbol(avro, value.toString());
            case BYTES:
            case FIXED: {
                byte[] bytes;
                if (value instanceof BigDecimal d) {
                    bytes = d.unscaledValue().toByteArray();
                } else if (value instanceof ByteBuffer b) {
                    bytes = toBytes(b);
                } else {
                    bytes = (byte[]) value;
                }
                return avro.getType() == Type.FIXED ? new GenericData.Fixed(avro, bytes) : ByteBuffer.wrap(bytes);
            }
            case ARRAY: {
                Collection<?> items = (Collection<?>) value;
                List<Object> out = new ArrayList<>(items.size());
                for (Object item : items) {
                    out.add(toAvroValue(connect.valueSchema(), avro.getElementType(), item));
                }
                return new GenericData.Array<>(avro, out);
            }
            case MAP: {
                Map<?, ?> in = (Map<?, ?>) value;
                Map<String, Object> out = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : in.entrySet()) {
                    out.put(e.getKey().toString(), toAvroValue(connect.valueSchema(), avro.getValueType(), e.getValue()));
                }
                return out;
            }
            case RECORD: {
                Struct struct = (Struct) value;
                GenericData.Record record = new GenericData.Record(avro);
                for (org.apache.avro.Schema.Field f : avro.getFields()) {
                    Field cf = connect.field(f.name());
                    if (cf == null) {
                        throw new DataException("Connect struct " + connect.name() + " has no field " + f.name());
                    }
                    record.put(f.pos(), toAvroValue(cf.schema(), f.schema(), struct.get(cf)));
                }
                return record;
            }
            default:
                throw new DataException("unsupported Avro type " + avro.getType());
        }
    }
}
