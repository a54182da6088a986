package dev.parley.ops.chaos.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.client.ParleyClient;
import dev.parley.client.ParleyException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The load's client applications on Parley's Java client ({@code clients/java}, {@link ParleyClient}): it reconnects
 * with full-jitter backoff and resumes from its own cursors, re-sends unacknowledged sends with the same clientMsgId
 * from its outbox, fills gaps, and waits {@code retryAfterMs} after {@code rate_limited}/{@code overloaded}.
 */
public final class JavaClients implements ChatClient.Factory {

    private final Function<String, String> tokens;

    /** @param tokens a bearer token for a user */
    public JavaClients(Function<String, String> tokens) {
        this.tokens = tokens;
    }

    @Override
    public ChatClient open(String user, String device, URI url) {
        ParleyClient c = new ParleyClient(ParleyClient.Config.of(url, device, reason -> tokens.apply(user))
                .withBackoff(Duration.ofMillis(250), Duration.ofSeconds(2)));
        return new Adapter(c);
    }

    private static final class Adapter implements ChatClient {
        private final ParleyClient client;

        Adapter(ParleyClient client) {
            this.client = client;
        }

        @Override
        public CompletableFuture<JsonNode> start() {
            return typed(client.start());
        }

        @Override
        public CompletableFuture<JsonNode> send(String channel, String text, String clientMsgId) {
            return typed(client.send(channel, text, clientMsgId));
        }

        @Override
        public CompletableFuture<JsonNode> call(ObjectNode frame) {
            return typed(client.call(frame));
        }

        @Override
        public void onEvent(Consumer<JsonNode> listener) {
            client.onEvent(listener);
        }

        @Override
        public void onOnline(Consumer<Boolean> listener) {
            client.onState(s -> {
                if (s == ParleyClient.State.ONLINE) {
                    listener.accept(true);
                } else if (s == ParleyClient.State.OFFLINE) {
                    listener.accept(false);
                }
            });
        }

        @Override
        public boolean online() {
            return client.state() == ParleyClient.State.ONLINE;
        }

        @Override
        public Long cursor(String channel) {
            return client.cursor(channel);
        }

        @Override
        public List<String> pendingSends() {
            return client.pendingSends();
        }

        @Override
        public void close() {
            client.close();
        }

        /** The client's {@link ParleyException}s as {@link RequestFailed}. */
        private static CompletableFuture<JsonNode> typed(CompletableFuture<JsonNode> f) {
            return f.handle((v, e) -> {
                if (e == null) {
                    return v;
                }
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                if (cause instanceof ParleyException p) {
                    throw new RequestFailed(p.code(), p.isRetryable(), p.getMessage());
                }
                throw new CompletionException(cause);
            });
        }
    }
}
