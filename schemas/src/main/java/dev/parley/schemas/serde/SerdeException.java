package dev.parley.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record could not be (de)serialized. The {@link Reason} tells callers whether the record itself is
 * bad (route it to the dead-letter topic) or the registry is unavailable (retry, never drop data).
 */
public class SerdeException extends SerializationException {

    /** Why (de)serialization failed. */
    public enum Reason {
        /** The bytes do not start with magic byte 0 and a 4-byte schema id. */
        NOT_WIRE_FORMAT(true),
        /** The schema id is not known to the registry. */
        UNKNOWN_SCHEMA_ID(true),
        /** The body does not decode with the writer schema, or cannot be resolved to the reader schema. */
        UNDECODABLE(true),
        /** The registry refused the schema (e.g. incompatible) or the record does not fit it. */
        SCHEMA_REJECTED(true),
        /** The registry could not be reached: transient, the record itself may be fine. */
        REGISTRY_UNAVAILABLE(false);

        private final boolean poison;

        Reason(boolean poison) {
            this.poison = poison;
        }

        /** True when retrying cannot help: the record is bad in itself. */
        public boolean isPoison() {
            return poison;
        }
    }

    private final Reason reason;

    public SerdeException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public SerdeException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
