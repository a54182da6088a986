package dev.parley.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The load generator unpacks a live events batch into its events, each counted and ledgered as if it came alone. */
class MessageTrackerBatchTest {

    private static String event(long seq, long i, String text) {
        return "{\"type\":\"event\",\"channel\":\"room\",\"seq\":" + seq + ",\"kind\":\"message\",\"eventId\":\"e" + seq
                + "\",\"ts\":1,\"user\":\"u0\",\"messageId\":\"m" + seq + "\",\"clientMsgId\":\"w3." + i + "\",\"text\":\"" + text + "\"}";
    }

    @Test
    void eachEventOfALiveBatchCountsOnceInOrder() {
        MessageTracker t = new MessageTracker("W3", "w3.", true);
        BenchClient c = new BenchClient("u1", "d");
        c.home = "room";
        for (int i = 0; i < 3; i++) {
            t.sends.set(i, System.nanoTime());
            t.ledger.acked("room", i + 1);
        }
        // a text that quotes an event start cannot break the split: its quotes are escaped
        String batch = "{\"type\":\"events\",\"channel\":\"room\",\"live\":true,\"events\":[" + event(1, 0, "a")
                + "," + event(2, 1, "{\\\"type\\\":\\\"event\\\",") + "," + event(3, 2, "c") + "]}";
        t.onFrame(c, "events", batch, System.nanoTime());
        assertThat(t.events.get()).isEqualTo(3);
        assertThat(t.ledger.totals().lost()).isZero();
        t.onFrame(c, "events", "{\"type\":\"events\",\"requestId\":\"r\",\"channel\":\"room\",\"events\":[" + event(1, 0, "a") + "]}",
                System.nanoTime());
        assertThat(t.events.get()).as("a reply to an events request is no delivery").isEqualTo(3);
    }
}
