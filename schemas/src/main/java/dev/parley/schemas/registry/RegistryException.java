package dev.parley.schemas.registry;

/**
 * An error answer from a schema registry, with Confluent's error codes (e.g. 40401 subject not found,
 * 40403 schema not found, 409 incompatible, 42201 invalid schema), or a failure to reach it
 * ({@link #UNREACHABLE}).
 */
public class RegistryException extends RuntimeException {

    public static final int UNREACHABLE = -1;
    public static final int SUBJECT_NOT_FOUND = 40401;
    public static final int VERSION_NOT_FOUND = 40402;
    public static final int SCHEMA_NOT_FOUND = 40403;
    public static final int INCOMPATIBLE = 409;
    public static final int INVALID_SCHEMA = 42201;
    public static final int INVALID_VERSION = 42202;
    public static final int INVALID_COMPATIBILITY_LEVEL = 42203;
    public static final int STORE_ERROR = 50001;

    private final int httpStatus;
    private final int errorCode;

    public RegistryException(int httpStatus, int errorCode, String message) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = UNREACHABLE;
        this.errorCode = UNREACHABLE;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int errorCode() {
        return errorCode;
    }

    /** The subject, version or schema id does not exist: retrying will not help. */
    public boolean isNotFound() {
        return httpStatus == 404;
    }

    /** The registry could not be reached or failed internally: retrying later may help. */
    public boolean isTransient() {
        return httpStatus == UNREACHABLE || httpStatus >= 500;
    }
}
