package dev.parley.gateway.client;

/**
 * A validated client request, the same whichever transport it came by (a WebSocket frame or a REST call).
 * {@link RequestParser} builds them; nothing past it sees raw JSON.
 */
public sealed interface ClientRequest {

    /**
     * A command for the topology: {@code send} (keyed by {@code clientMsgId}) or any other change (keyed by
     * {@code requestId}). The key is also the command's idempotency key.
     *
     * @param payload the Avro command record
     */
    record Command(String type, String keyField, String key, String channel, Object payload) implements ClientRequest {
        public boolean isSend() {
            return type.equals("send");
        }
    }

    /** A page of messages in their current state, the {@code limit} before {@code before}. */
    record History(String requestId, String channel, long before, int limit) implements ClientRequest {
    }

    /** A page of raw events after {@code after}, or (when {@code before} is not null) before it. */
    record Events(String requestId, String channel, long after, Long before, int limit) implements ClientRequest {
    }

    /** A thread: its root and a page of replies after {@code after}. */
    record Thread(String requestId, String channel, long root, long after, int limit) implements ClientRequest {
    }

    /** The user's channels, {@code limit} of them after the channel id {@code after} (null: from the start). */
    record Channels(String requestId, String after, int limit) implements ClientRequest {
    }

    /** Live delivery of a channel from {@code after} (-1: from its head). */
    record Subscribe(String channel, long after) implements ClientRequest {
    }

    /** {@code presence_watch}: the users whose presence the connection follows from now on (replaces the last list). */
    record WatchPresence(String requestId, java.util.List<String> users) implements ClientRequest {
    }

    /** {@code set_status}: the client says it is away, or back. */
    record SetStatus(boolean away) implements ClientRequest {
    }

    /**
     * {@code set_delivery}: how the connection follows a channel from now on: pushed events ({@code pull=false}, from
     * {@code after}; -1: from its head) or {@code head} frames to pull after ({@code pull=true}).
     */
    record SetDelivery(String channel, boolean pull, long after) implements ClientRequest {
    }

    /** {@code typing}: the user is typing in the channel. */
    record Typing(String channel) implements ClientRequest {
    }

    record Ping() implements ClientRequest {
    }

    /** A second hello on an authenticated connection. */
    record Hello() implements ClientRequest {
    }
}
