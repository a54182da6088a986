package dev.parley.gateway.rest;

/** The HTTP status of each error code of docs/protocol.md. */
final class Statuses {

    private Statuses() {
    }

    static int of(String code) {
        return switch (code) {
            case "invalid", "bad_frame", "unknown_type" -> 400;
            case "unauthorized" -> 401;
            case "not_a_member", "not_allowed" -> 403;
            case "unknown_channel", "unknown_message", "not_found" -> 404;
            case "method_not_allowed" -> 405;
            case "channel_exists" -> 409;
            case "message_deleted" -> 410;
            case "too_large", "frame_too_large" -> 413;
            case "rate_limited" -> 429;
            case "unavailable", "overloaded" -> 503;
            case "timeout" -> 504;
            default -> 500;
        };
    }
}
