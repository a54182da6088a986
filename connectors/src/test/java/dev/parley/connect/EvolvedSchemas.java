package dev.parley.connect;

import dev.parley.avro.event.ChannelEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/** A later, compatible version of a schema for tests: the same record with one more field defaulting to null. */
public final class EvolvedSchemas {

    private EvolvedSchemas() {
    }

    /** {@code record} plus a field {@code name} of {@code type} (a union starting with null), default null. */
    public static Schema withField(Schema record, String name, Schema type) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : record.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(new Schema.Field(name, type, "added in a later release", JsonProperties.NULL_VALUE));
        Schema copy = Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false);
        copy.setFields(fields);
        return copy;
    }

    public static Schema nullableString() {
        return Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING));
    }

    /** The event as a generic record of the evolved schema (written with its own, read with the evolved one). */
    public static GenericRecord reread(ChannelEvent event, Schema evolved) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<ChannelEvent>(event.getSchema()).write(event, enc);
        enc.flush();
        return new GenericDatumReader<GenericRecord>(event.getSchema(), evolved)
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    }
}
