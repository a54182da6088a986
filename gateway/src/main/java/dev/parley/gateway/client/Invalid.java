package dev.parley.gateway.client;

/**
 * A request the gateway refuses before doing anything: a missing or malformed field (code {@code invalid},
 * REST 400), an unknown frame type ({@code unknown_type}), with a message naming the field and the request's
 * key when it has one.
 */
public final class Invalid extends Exception {

    private final String code;
    private final String idField;
    private final String id;

    public Invalid(String message, String idField, String id) {
        this("invalid", message, idField, id);
    }

    public Invalid(String code, String message, String idField, String id) {
        super(message, null, false, false);
        this.code = code;
        this.idField = idField;
        this.id = id;
    }

    public String code() {
        return code;
    }

    /** {@code clientMsgId}, {@code requestId} or {@code channel}: which field {@link #id()} echoes; may be null. */
    public String idField() {
        return idField;
    }

    public String id() {
        return id;
    }
}
