package dev.parley.connect.transforms;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * Single Message Transform that flattens a Parley {@code ChannelEvent} (the committed log's value, as a
 * Connect struct from {@code ParleyAvroConverter}) into one flat row per event, for JDBC sinks.
 *
 * <p>The row: {@code channel, seq} (the primary key: replays upsert), {@code kind, event_id, message_id,
 * user_id, device, ts, idempotency_key, command_id}, and the payload spread over {@code text, mentions,
 * thread_root, target_seq} (the message an edit, delete or reaction refers to), {@code emoji, member_user,
 * member_role, added_by, visibility, title, direct, members, read_seq}. All but the key are nullable; lists
 * become comma-separated strings (an empty list is null). The full table is in docs/analytics.md.
 *
 * <p>Evolution: a top-level field the transform does not know (a new optional field of ChannelEvent) is
 * carried as a column of its own, in snake case ({@code clientVersion} becomes {@code client_version}); a new
 * field inside a payload record is carried as {@code <record>_<field>} ({@code message_posted_format}).
 * Only scalar values (and lists of them) are carried; nested records are skipped. With a sink's schema
 * evolution on, each becomes a new nullable column.
 *
 * <p>Options: {@value #TEXT_INCLUDE} (default true; false leaves the message text and mentions out of the
 * rows entirely), {@value #KINDS} (only these event kinds, default all), {@value #EXTRA_FIELDS} (default true).
 * Tombstones (null values) are dropped. A value that is not a ChannelEvent struct is a DataException (with
 * {@code errors.tolerance=all}, the record goes to the dead-letter queue).
 */
public class FlattenChannelEvent<R extends ConnectRecord<R>> implements Transformation<R> {

    public static final String TEXT_INCLUDE = "text.include";
    public static final String KINDS = "kinds";
    public static final String EXTRA_FIELDS = "extra.fields.include";
    public static final String ROW_SCHEMA_NAME = "dev.parley.analytics.EventRow";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(TEXT_INCLUDE, Type.BOOLEAN, true, Importance.MEDIUM,
                    "Include the message text and mentions. false: the rows have no text or mentions columns at all.")
            .define(KINDS, Type.LIST, List.of(), Importance.LOW,
                    "Event kinds to keep (e.g. MESSAGE,EDITED,DELETED); empty keeps all. Others are dropped.")
            .define(EXTRA_FIELDS, Type.BOOLEAN, true, Importance.LOW,
                    "Carry fields this transform does not know (newer schema versions) as extra columns.");

    /** Top-level ChannelEvent fields and where they go. */
    private static final Map<String, String> TOP_LEVEL = Map.of(
            "channel", "channel", "seq", "seq", "kind", "kind", "eventId", "event_id", "messageId", "message_id",
            "timestamp", "ts", "idempotencyKey", "idempotency_key", "commandId", "command_id");

    /** Payload record fields (by record name) and their columns. */
    private static final Map<String, Map<String, String>> PAYLOAD = Map.of(
            "ChannelCreated", Map.of("visibility", "visibility", "title", "title", "direct", "direct", "members", "members"),
            "MemberJoined", Map.of("user", "member_user", "role", "member_role", "addedBy", "added_by"),
            "MemberLeft", Map.of("user", "member_user"),
            "MessagePosted", Map.of("text", "text", "threadRoot", "thread_root", "mentions", "mentions"),
            "MessageEdited", Map.of("messageSeq", "target_seq", "text", "text", "mentions", "mentions"),
            "MessageDeleted", Map.of("messageSeq", "target_seq"),
            "ReactionAdded", Map.of("messageSeq", "target_seq", "emoji", "emoji"),
            "ReactionRemoved", Map.of("messageSeq", "target_seq", "emoji", "emoji"),
            "ReadCursorMoved", Map.of("seq", "read_seq"));

    private static final Set<String> TEXT_COLUMNS = Set.of("text", "mentions");

    /** The fixed columns, in table order. */
    private static final Map<String, Schema> BASE_COLUMNS = baseColumns();

    private boolean includeText;
    private Set<String> kinds;
    private boolean extras;
    private final Map<Schema, Plan> plans = new ConcurrentHashMap<>();
    private volatile Plan last;

    private static Map<String, Schema> baseColumns() {
        Map<String, Schema> c = new LinkedHashMap<>();
        c.put("channel", Schema.STRING_SCHEMA);
        c.put("seq", Schema.INT64_SCHEMA);
        c.put("kind", Schema.OPTIONAL_STRING_SCHEMA);
        c.put("event_id", Schema.OPTIONAL_STRING_SCHEMA);
        c.put("message_id", Schema.OPTIONAL_STRING_SCHEMA);
        c.put("user_id", Schema.OPTIONAL_STRING_SCHEMA);
        c.put("device", Schema.OPTIONAL_STRING_SCHEMA);
        c.put("ts", Timestamp.builder().optional().build());
        c.put("idempotency_key", Schema.OPTIONAL_STRING_SCHEMA);
        c.put("command_id", Schema.OPTIONAL_STRING_SCHEMA);
        c.put("text", Schema.OPTIONAL_STRING_SCHEMA);
        c.put("mentions", Schema.OPTIONAL_STRING_SCHEMA);
        c.put("thread_root", Schema.OPTIONAL_INT64_SCHEMA);
        c.put("target_seq", Schema.OPTIONAL_INT64_SCHEMA);
        c.put("emoji", Schema.OPTIONAL_STRING_SCHEMA);
        c.put("member_user", Schema.OPTIONAL_STRING_SCHEMA);
        c.put("member_role", Schema.OPTIONAL_STRING_SCHEMA);
        c.put("added_by", Schema.OPTIONAL_STRING_SCHEMA);
        c.put("visibility", Schema.OPTIONAL_STRING_SCHEMA);
        c.put("title", Schema.OPTIONAL_STRING_SCHEMA);
        c.put("direct", Schema.OPTIONAL_BOOLEAN_SCHEMA);
        c.put("members", Schema.OPTIONAL_STRING_SCHEMA);
        c.put("read_seq", Schema.OPTIONAL_INT64_SCHEMA);
        return c;
    }

    @Override
    public void configure(Map<String, ?> configs) {
        AbstractConfig config = new AbstractConfig(CONFIG_DEF, configs);
        includeText = config.getBoolean(TEXT_INCLUDE);
        kinds = config.getList(KINDS).stream().map(s -> s.trim().toUpperCase(Locale.ROOT)).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        extras = config.getBoolean(EXTRA_FIELDS);
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }

    @Override
    public R apply(R record) {
        Object value = record.value();
        if (value == null) {
            return null;
        }
        if (!(value instanceof Struct event)) {
            throw new DataException("FlattenChannelEvent expects a ChannelEvent struct (value.converter="
                    + "dev.parley.connect.converter.ParleyAvroConverter); got " + value.getClass().getName()
                    + " on " + record.topic());
        }
        Plan plan = planFor(event.schema());
        Object kind = event.get("kind");
        if (!kinds.isEmpty() && (kind == null || !kinds.contains(kind.toString()))) {
            return null;
        }
        Struct row = plan.row(event);
        return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
                plan.schema, row, record.timestamp(), record.headers());
    }

    private Plan planFor(Schema schema) {
        Plan p = last;
        if (p != null && p.input == schema) {
            return p;
        }
        p = plans.computeIfAbsent(schema, this::newPlan);
        last = p;
        return p;
    }

    // ---------------------------------------------------------------- plan: which input goes to which column

    private record Column(String name, Schema schema, Function<Struct, Object> read) {
    }

    private final class Plan {
        final Schema input;
        final Schema schema;
        final List<Column> columns;

        Plan(Schema input, Schema schema, List<Column> columns) {
            this.input = input;
            this.schema = schema;
            this.columns = columns;
        }

        Struct row(Struct event) {
            Struct row = new Struct(schema);
            for (Column c : columns) {
                Object v = c.read.apply(event);
                if (v == null && !c.schema.isOptional()) {
                    throw new DataException("ChannelEvent without " + c.name + " (" + event.schema().name() + ")");
                }
                row.put(c.name, v);
            }
            return row;
        }
    }

    private Plan newPlan(Schema input) {
        if (input.type() != Schema.Type.STRUCT || input.field("channel") == null || input.field("seq") == null) {
            throw new DataException("FlattenChannelEvent expects a ChannelEvent struct with channel and seq; got schema "
                    + input.name() + " " + input.type());
        }
        Map<String, Column> columns = new LinkedHashMap<>();
        BASE_COLUMNS.forEach((name, schema) -> {
            if (includeText || !TEXT_COLUMNS.contains(name)) {
                columns.put(name, new Column(name, schema, e -> null));
            }
        });
        // top level
        for (Field f : input.fields()) {
            String target = TOP_LEVEL.get(f.name());
            if (target != null) {
                columns.put(target, new Column(target, columns.get(target).schema, e -> scalar(e.get(f), target)));
            }
        }
        Field actor = input.field("actor");
        if (actor != null && actor.schema().type() == Schema.Type.STRUCT) {
            if (actor.schema().field("user") != null) {
                columns.put("user_id", new Column("user_id", Schema.OPTIONAL_STRING_SCHEMA, e -> nested(e, actor, "user")));
            }
            if (actor.schema().field("device") != null) {
                columns.put("device", new Column("device", Schema.OPTIONAL_STRING_SCHEMA, e -> nested(e, actor, "device")));
            }
        }
        // payload: a union struct with one field per branch, or (from another converter) a single record
        Map<String, List<Function<Struct, Object>>> fromPayload = new LinkedHashMap<>();
        List<Column> extraColumns = new ArrayList<>();
        Field payload = input.field("payload");
        if (payload != null && payload.schema().type() == Schema.Type.STRUCT) {
            for (Field branch : payload.schema().fields()) {
                if (branch.schema().type() != Schema.Type.STRUCT) {
                    continue;
                }
                String branchName = simpleName(branch.name());
                Map<String, String> known = PAYLOAD.getOrDefault(branchName, Map.of());
                for (Field pf : branch.schema().fields()) {
                    String target = known.get(pf.name());
                    Function<Struct, Object> read = e -> {
                        Struct p = e.getStruct(payload.name());
                        Struct b = p == null ? null : p.getStruct(branch.name());
                        return b == null ? null : b.get(pf);
                    };
                    if (target != null) {
                        if (columns.containsKey(target)) {
                            fromPayload.computeIfAbsent(target, t -> new ArrayList<>()).add(read);
                        }
                    } else if (extras && isScalar(pf.schema())) {
                        String name = snake(branchName) + "_" + snake(pf.name());
                        extraColumns.add(new Column(name, optionalScalar(pf.schema()), e -> scalar(read.apply(e), name)));
                    }
                }
            }
        }
        fromPayload.forEach((target, reads) -> columns.put(target, new Column(target, columns.get(target).schema, e -> {
            for (Function<Struct, Object> r : reads) {
                Object v = r.apply(e);
                if (v != null) {
                    return scalar(v, target);
                }
            }
            return null;
        })));
        // evolution: top-level fields this transform does not know
        if (extras) {
            Set<String> taken = new HashSet<>(columns.keySet());
            for (Field f : input.fields()) {
                if (TOP_LEVEL.containsKey(f.name()) || "actor".equals(f.name()) || "payload".equals(f.name()) || !isScalar(f.schema())) {
                    continue;
                }
                String name = snake(f.name());
                if (!taken.add(name)) {
                    name = "event_" + name;
                    taken.add(name);
                }
                String column = name;
                extraColumns.add(new Column(column, optionalScalar(f.schema()), e -> scalar(e.get(f), column)));
            }
        }
        for (Column c : extraColumns) {
            columns.putIfAbsent(c.name, c);
        }
        SchemaBuilder b = SchemaBuilder.struct().name(ROW_SCHEMA_NAME)
                .doc("One Parley channel event as a row (primary key channel, seq)");
        columns.values().forEach(c -> b.field(c.name, c.schema));
        return new Plan(input, b.build(), List.copyOf(columns.values()));
    }

    private static Object nested(Struct e, Field parent, String name) {
        Struct s = e.getStruct(parent.name());
        return s == null ? null : scalar(s.get(name), name);
    }

    /** Enums arrive as strings, lists become comma-separated strings (an empty list: null); the rest passes as is. */
    private static Object scalar(Object v, String column) {
        if (v instanceof Collection<?> c) {
            return c.isEmpty() ? null : c.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        if ("ts".equals(column) && v instanceof Number n) {
            return new java.util.Date(n.longValue());
        }
        if (v instanceof Struct) {
            throw new DataException("column " + column + " cannot hold a struct");
        }
        return v;
    }

    private static boolean isScalar(Schema s) {
        return switch (s.type()) {
            case STRUCT, MAP -> false;
            case ARRAY -> isScalar(s.valueSchema()) && s.valueSchema().type() != Schema.Type.ARRAY;
            default -> true;
        };
    }

    private static Schema optionalScalar(Schema s) {
        if (s.type() == Schema.Type.ARRAY) {
            return Schema.OPTIONAL_STRING_SCHEMA;
        }
        SchemaBuilder b = new SchemaBuilder(s.type());
        if (s.name() != null) {
            b.name(s.name());
        }
        if (s.version() != null) {
            b.version(s.version());
        }
        if (s.parameters() != null) {
            b.parameters(s.parameters());
        }
        return b.optional().build();
    }

    /** A union branch's record name: {@code MessagePosted}, also from {@code a.b.MessagePosted} or {@code a_b_MessagePosted}. */
    private static String simpleName(String name) {
        int dot = name.lastIndexOf('.');
        if (dot >= 0) {
            return name.substring(dot + 1);
        }
        int underscore = name.lastIndexOf('_');
        if (underscore >= 0 && underscore + 1 < name.length() && Character.isUpperCase(name.charAt(underscore + 1))) {
            return name.substring(underscore + 1);
        }
        return name;
    }

    /** {@code clientVersion} -> {@code client_version}, {@code MessagePosted} -> {@code message_posted}. */
    static String snake(String name) {
        StringBuilder out = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0 && name.charAt(i - 1) != '_') {
                    out.append('_');
                }
                out.append(Character.toLowerCase(c));
            } else if (Character.isLetterOrDigit(c)) {
                out.append(c);
            } else {
                out.append('_');
            }
        }
        return out.toString();
    }

    @Override
    public void close() {
        plans.clear();
    }
}
