package dev.parley.ops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.client.ClientStorage;
import dev.parley.client.ParleyClient;

/**
 * One simulated user device of the load generator, on Parley's Java client ({@link ParleyClient}): the same client
 * applications use, so the bench pays the client's cost per send and per delivery. Its events and acks go to its
 * {@link Handler} with the time their frames came off the socket ({@link ParleyClient.ReceivedListener}).
 */
final class Member {

    /** Sees this member's events (in order per channel) and the acks of its sends. */
    interface Handler {
        void onEvent(Member m, JsonNode event, long receivedNanos);

        void onAck(Member m, JsonNode ack, long receivedNanos);

        Handler NONE = new Handler() {
            public void onEvent(Member m, JsonNode event, long receivedNanos) {
            }

            public void onAck(Member m, JsonNode ack, long receivedNanos) {
            }
        };
    }

    final String user;
    final String device;
    final String key;
    /** The channel this member sends to. */
    final String home;
    final ParleyClient client;
    /** Where the client keeps its cursors and outbox (in memory). */
    final ClientStorage storage;
    volatile Handler handler = Handler.NONE;
    /** The first welcome (null before it). */
    volatile JsonNode welcome;
    /** The highest seq of {@link #home} received. */
    volatile long lastSeq;
    /** The seq up to which this member needs nothing (its ledger streams expect only later acked seqs). */
    volatile long after;
    /** The ledger stream of {@link #home} in {@link #homeLedger} (looked up once, not per event). */
    DeliveryLedger.Stream homeStream;
    DeliveryLedger homeLedger;

    Member(String user, String device, String home, ClientStorage storage, ParleyClient client) {
        this.storage = storage;
        this.user = user;
        this.device = device;
        this.key = user + "/" + device;
        this.home = home;
        this.client = client;
        client.onEventReceived((e, at) -> {
            if (home.equals(e.path("channel").asText())) {
                lastSeq = Math.max(lastSeq, e.path("seq").asLong());
            }
            handler.onEvent(this, e, at);
        });
        client.onAckReceived((a, at) -> handler.onAck(this, a, at));
    }

    /** Sends a message of the bench; the ack comes to the handler (a send refused for good counts in {@code failures}). */
    void send(String channel, String clientMsgId, String text, java.util.concurrent.atomic.AtomicLong failures) {
        client.send(channel, text, clientMsgId).whenComplete((ack, e) -> {
            if (e != null && failures != null) {
                failures.incrementAndGet();
            }
        });
    }

    /** Whether the welcome listed the channel. */
    boolean welcomeLists(String channel) {
        JsonNode w = welcome;
        if (w == null) {
            return false;
        }
        for (JsonNode c : w.path("channels")) {
            if (channel.equals(c.path("channel").asText())) {
                return true;
            }
        }
        return false;
    }

    /** The channel's head in the welcome (0 when not listed). */
    long headInWelcome(String channel) {
        JsonNode w = welcome;
        if (w != null) {
            for (JsonNode c : w.path("channels")) {
                if (channel.equals(c.path("channel").asText())) {
                    return c.path("head").asLong();
                }
            }
        }
        return 0;
    }

    void close() {
        client.close();
    }
}
