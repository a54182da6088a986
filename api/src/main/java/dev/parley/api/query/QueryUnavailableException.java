package dev.parley.api.query;

/** No replica of the store could answer in time (rebalancing, restoring, instance down): retry later. */
public class QueryUnavailableException extends RuntimeException {
    public QueryUnavailableException(String message) {
        super(message);
    }

    public QueryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
