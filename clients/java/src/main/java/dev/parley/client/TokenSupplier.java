package dev.parley.client;

/** Gives the token for the next hello; called before every connect. */
@FunctionalInterface
public interface TokenSupplier {

    /** Why a token is asked for. */
    enum Reason {
        /** A first connect or an ordinary reconnect. */
        CONNECT,
        /** The token expired (close 4002): give a fresh one. */
        EXPIRED,
        /** The token was refused (close 4003): give another, or null to stop. */
        REFUSED
    }

    /** @return the token, or null to give up (the client stops) */
    String token(Reason reason) throws Exception;
}
