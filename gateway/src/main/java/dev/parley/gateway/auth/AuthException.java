package dev.parley.gateway.auth;

/** A token was missing, malformed, badly signed, expired or for someone else. The message says which. */
public class AuthException extends Exception {
    public AuthException(String message) {
        super(message);
    }

    public AuthException(String message, Throwable cause) {
        super(message, cause);
    }
}
