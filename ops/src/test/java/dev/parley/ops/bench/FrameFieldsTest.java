package dev.parley.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FrameFieldsTest {

    private static final String EVENT = "{\"type\":\"event\",\"channel\":\"team\",\"seq\":42,\"kind\":\"message\",\"eventId\":\"e1\","
            + "\"ts\":1700000000000,\"user\":\"alice\",\"messageId\":\"m\",\"clientMsgId\":\"w1.17\",\"text\":\"\\\"seq\\\":1\"}";

    @Test
    void readsTheFieldsOfAnEventFrame() {
        assertThat(FrameFields.type(EVENT)).isEqualTo("event");
        assertThat(FrameFields.str(EVENT, "channel")).isEqualTo("team");
        assertThat(FrameFields.num(EVENT, "seq", -1)).isEqualTo(42);
        assertThat(FrameFields.str(EVENT, "clientMsgId")).isEqualTo("w1.17");
        assertThat(SendLog.indexOf(FrameFields.str(EVENT, "clientMsgId"), "w1.")).isEqualTo(17);
        assertThat(SendLog.indexOf("w2.17", "w1.")).isEqualTo(-1);
    }

    @Test
    void missingFieldsAreNullOrTheDefault() {
        assertThat(FrameFields.str("{\"type\":\"ack\"}", "channel")).isNull();
        assertThat(FrameFields.num("{\"type\":\"ack\"}", "seq", -7)).isEqualTo(-7);
        assertThat(FrameFields.type("{\"seq\":1,\"type\":\"ok\"}")).isEqualTo("ok");
        assertThat(FrameFields.type("{}")).isEmpty();
    }

    @Test
    void sendLogRemembersTimesAcrossChunks() {
        SendLog log = new SendLog();
        for (long i = 0; i < 70_000; i++) {
            assertThat(log.add(i * 3)).isEqualTo(i);
        }
        assertThat(log.get(65_537)).isEqualTo(65_537 * 3);
        assertThat(log.count()).isEqualTo(70_000);
    }
}
