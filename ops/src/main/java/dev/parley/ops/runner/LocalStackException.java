package dev.parley.ops.runner;

/** A component of the local stack failed to start; the components started before it were closed. */
public class LocalStackException extends RuntimeException {
    public LocalStackException(String message, Throwable cause) {
        super(message, cause);
    }
}
