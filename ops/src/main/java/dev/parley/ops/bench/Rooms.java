package dev.parley.ops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.client.ParleyException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Channels with members on the Java client, set up over the protocol: each channel's first member connects and
 * creates it, adds the other members ({@code add_member}), and then they connect; a member whose welcome does not list
 * the channel yet (the read side trails the log by a commit or two) connects again, as a new client, until it does.
 * Set-up requests that fail retryably ({@code overloaded} and {@code rate_limited}, which the client itself sends again
 * a few times, and {@code timeout} or {@code unavailable} on a busy machine) are sent again with the same requestId,
 * so none applies twice.
 */
final class Rooms {

    final List<String> channels = new ArrayList<>();
    /** members.get(c).get(0) created channel c. */
    final List<List<Member>> members = new ArrayList<>();
    /** Set-up requests are sent again after a retryable failure, up to this many times in all. */
    private static final int SETUP_ATTEMPTS = 20;

    static Rooms setup(ClientPool pool, String tag, int channelCount, int membersPerChannel, Duration timeout)
            throws Exception {
        Rooms r = new Rooms();
        List<Member> creators = new ArrayList<>();
        for (int c = 0; c < channelCount; c++) {
            String channel = tag + "-c" + c;
            r.channels.add(channel);
            List<Member> m = new ArrayList<>();
            for (int k = 0; k < membersPerChannel; k++) {
                m.add(k == 0 ? pool.member(tag + "-c" + c + "-u" + k, "d", channel) : null);
            }
            r.members.add(m);
            creators.add(m.get(0));
        }
        check(pool.startAll(creators, 200, timeout), "connect the channel creators");
        List<CompletableFuture<JsonNode>> replies = new ArrayList<>();
        for (int c = 0; c < channelCount; c++) {
            ObjectNode create = JsonNodeFactory.instance.objectNode().put("type", "create_channel").put("channel", r.channels.get(c))
                    .put("private", false).put("requestId", tag + "-create" + c);
            replies.add(served(creators.get(c), create, SETUP_ATTEMPTS));
        }
        awaitOk(replies, timeout, "create channels");
        replies.clear();
        for (int c = 0; c < channelCount; c++) {
            for (int k = 1; k < membersPerChannel; k++) {
                ObjectNode add = JsonNodeFactory.instance.objectNode().put("type", "add_member").put("channel", r.channels.get(c))
                        .put("user", tag + "-c" + c + "-u" + k).put("requestId", tag + "-add" + c + "-" + k);
                replies.add(served(creators.get(c), add, SETUP_ATTEMPTS));
            }
        }
        awaitOk(replies, timeout, "add members");
        for (int attempt = 0; ; attempt++) {
            List<Member> pending = new ArrayList<>();
            for (int c = 0; c < channelCount; c++) {
                List<Member> m = r.members.get(c);
                for (int k = 1; k < m.size(); k++) {
                    Member b = m.get(k);
                    if (b != null && b.welcome != null && b.welcomeLists(r.channels.get(c))) {
                        continue;
                    }
                    if (b != null) {
                        b.close();
                    }
                    Member again = pool.member(tag + "-c" + c + "-u" + k, "d", r.channels.get(c));
                    m.set(k, again);
                    pending.add(again);
                }
            }
            if (pending.isEmpty()) {
                return r;
            }
            if (attempt == 6) {
                throw new IllegalStateException(pending.size() + " members never got their channel in the welcome");
            }
            if (attempt > 0) {
                Thread.sleep(200L << attempt); // the read side trails the log: give it a commit or two, more each time
            }
            check(pool.startAll(pending, 200, timeout), "connect the members");
        }
    }

    /** The reply to a request (which carries its requestId), sent again with that id after a retryable failure. */
    static CompletableFuture<JsonNode> served(Member m, ObjectNode request, int attempts) {
        return m.client.call(request).handle((reply, error) -> {
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause == null) {
                return CompletableFuture.completedFuture(reply);
            }
            if (attempts > 1 && cause instanceof ParleyException p && p.isRetryable()) {
                long wait = p.retryAfter().map(Duration::toMillis).orElse(500L);
                return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(wait, TimeUnit.MILLISECONDS))
                        .thenCompose(x -> served(m, request, attempts - 1));
            }
            return CompletableFuture.<JsonNode>failedFuture(cause);
        }).thenCompose(f -> f);
    }

    List<Member> all() {
        List<Member> out = new ArrayList<>();
        members.forEach(out::addAll);
        return out;
    }

    static void check(List<Throwable> failures, String what) {
        if (!failures.isEmpty()) {
            throw new IllegalStateException(what + ": " + failures.size() + " failed, e.g. " + failures.get(0));
        }
    }

    static void awaitOk(List<CompletableFuture<JsonNode>> replies, Duration timeout, String what) throws Exception {
        try {
            CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(what + ": " + e.getCause(), e.getCause());
        }
    }
}
