package dev.parley.ops.chaos.load;

/**
 * How a {@link ChatClient} request or send failed: the protocol's error code (or the client library's own, e.g.
 * {@code disconnected}) and whether sending the same request again (same key) can succeed.
 */
public final class RequestFailed extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String code;
    private final boolean retryable;

    public RequestFailed(String code, boolean retryable, String message) {
        super(code + ": " + message);
        this.code = code;
        this.retryable = retryable;
    }

    public String code() {
        return code;
    }

    public boolean retryable() {
        return retryable;
    }

    /** The code of any failure a client future completed with. */
    public static String codeOf(Throwable t) {
        Throwable c = t;
        while (c != null && !(c instanceof RequestFailed)) {
            c = c.getCause();
        }
        return c instanceof RequestFailed r ? r.code() : t.getClass().getSimpleName();
    }

    /** Whether any failure a client future completed with may be retried with the same key. */
    public static boolean isRetryable(Throwable t) {
        Throwable c = t;
        while (c != null && !(c instanceof RequestFailed)) {
            c = c.getCause();
        }
        return !(c instanceof RequestFailed r) || r.retryable();
    }
}
