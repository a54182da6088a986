package dev.parley.gateway.hub;

/** WebSocket close codes the gateway uses (docs/protocol.md). */
public final class CloseCodes {

    /** Server shutting down: reconnect (to any gateway) and resume. */
    public static final int GOING_AWAY = 1001;
    /** A frame above the hard size limit. */
    public static final int TOO_BIG = 1009;
    /** Dependencies unavailable at hello: try again later. */
    public static final int TRY_AGAIN_LATER = 1013;
    /** No valid hello in time. */
    public static final int NOT_AUTHENTICATED = 4001;
    /** The token expired during the connection: reconnect with a fresh one. */
    public static final int TOKEN_EXPIRED = 4002;
    /** The token was refused. */
    public static final int UNAUTHORIZED = 4003;
    /** The client did not read fast enough: reconnect and resume. */
    public static final int SLOW_CONSUMER = 4008;

    private CloseCodes() {
    }
}
