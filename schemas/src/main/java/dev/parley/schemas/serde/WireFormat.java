package dev.parley.schemas.serde;

import java.nio.ByteBuffer;

/**
 * The Confluent Schema Registry wire format: byte 0 = magic 0, bytes 1-4 = big-endian schema id,
 * then the Avro binary body.
 */
public final class WireFormat {

    public static final byte MAGIC = 0;
    public static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    public static void writeHeader(byte[] target, int schemaId) {
        target[0] = MAGIC;
        target[1] = (byte) (schemaId >>> 24);
        target[2] = (byte) (schemaId >>> 16);
        target[3] = (byte) (schemaId >>> 8);
        target[4] = (byte) schemaId;
    }

    /**
     * @return the schema id in the header
     * @throws SerdeException with {@link SerdeException.Reason#NOT_WIRE_FORMAT} when the bytes have no valid header
     */
    public static int schemaId(String topic, byte[] data) {
        if (data.length < HEADER_SIZE) {
            throw new SerdeException(SerdeException.Reason.NOT_WIRE_FORMAT, "record on " + topic + " has " + data.length
                    + " bytes, fewer than the 5-byte Schema Registry header (magic byte + schema id)");
        }
        if (data[0] != MAGIC) {
            throw new SerdeException(SerdeException.Reason.NOT_WIRE_FORMAT, String.format(
                    "record on %s starts with byte 0x%02x, not the Schema Registry magic byte 0x00", topic, data[0]));
        }
        return ByteBuffer.wrap(data, 1, 4).getInt();
    }
}
