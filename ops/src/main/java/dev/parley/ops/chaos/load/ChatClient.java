package dev.parley.ops.chaos.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What the load needs of a client application: the client's part of every guarantee (reconnect with resume from
 * its own cursors, an outbox that sends unacknowledged messages again with the same clientMsgId, gap filling,
 * {@code rate_limited}/{@code overloaded} retried after {@code retryAfterMs}) is the client library's; the load only
 * sends, calls and listens.
 */
public interface ChatClient extends AutoCloseable {

    /** Opens a client of {@code user} with device id {@code device} on the gateway URL {@code url}. */
    interface Factory {
        ChatClient open(String user, String device, URI url);
    }

    /** Connects; completes with the first welcome. */
    CompletableFuture<JsonNode> start();

    /** Sends (and re-sends until acknowledged, same key); completes with the ack, or fails when refused for good. */
    CompletableFuture<JsonNode> send(String channel, String text, String clientMsgId);

    /** A request with a requestId (added when missing); completes with its {@code ok}. May be repeated safely. */
    CompletableFuture<JsonNode> call(ObjectNode frame);

    /** Every event, per channel strictly by seq with no gap and no repeat. */
    void onEvent(Consumer<JsonNode> listener);

    /** Called with true when the client is welcomed, false when its connection dropped. */
    void onOnline(Consumer<Boolean> listener);

    boolean online();

    /** The last seq of a channel handed over in order, or null when the client does not follow the channel. */
    Long cursor(String channel);

    /** clientMsgIds sent but not acknowledged yet. */
    List<String> pendingSends();

    @Override
    void close();
}
