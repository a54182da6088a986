package dev.parley.notifier.delivery;

/**
 * What one webhook attempt came to, and what it means for the next.
 *
 * @param status  HTTP status, or -1 when no response came (timeout, refused connection, open circuit)
 * @param error   what went wrong, null on success
 * @param verdict what to do next
 */
public record AttemptResult(int status, String error, Verdict verdict) {

    public enum Verdict {
        /** 2xx: delivered. */
        DELIVERED,
        /** Worth another try: 5xx, 408, 429, a timeout, a network error, an open circuit. */
        RETRY,
        /** The receiver refused it for good (other 4xx): no retry will help. */
        REFUSED
    }

    /** Classifies an HTTP status. */
    public static AttemptResult ofStatus(int status) {
        if (status >= 200 && status < 300) {
            return new AttemptResult(status, null, Verdict.DELIVERED);
        }
        boolean retry = status >= 500 || status == 408 || status == 429 || status < 200 || (status >= 300 && status < 400);
        return new AttemptResult(status, "HTTP " + status, retry ? Verdict.RETRY : Verdict.REFUSED);
    }

    public static AttemptResult failed(String error) {
        return new AttemptResult(-1, error, Verdict.RETRY);
    }

    public boolean delivered() {
        return verdict == Verdict.DELIVERED;
    }
}
