package dev.parley.gateway.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.avro.command.CreateChannel;
import dev.parley.avro.command.SendMessage;
import org.junit.jupiter.api.Test;

/** The one validation layer on its own: what every transport accepts and what it refuses, with which code and field. */
class RequestParserTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ClientRequest parse(String json) throws Invalid {
        return RequestParser.parse(new FrameReader(1 << 20).read(json), "alice");
    }

    private static Invalid refusal(String json) {
        try {
            parse(json);
        } catch (Invalid e) {
            return e;
        }
        throw new AssertionError("accepted: " + json);
    }

    @Test
    void aValidSendBecomesASendCommandKeyedByItsClientMsgId() throws Invalid {
        ClientRequest r = parse("{\"type\":\"send\",\"channel\":\"general\",\"clientMsgId\":\"c1\",\"text\":\"hi\",\"threadRoot\":7}");
        assertThat(r).isInstanceOf(ClientRequest.Command.class);
        ClientRequest.Command c = (ClientRequest.Command) r;
        assertThat(c.keyField()).isEqualTo("clientMsgId");
        assertThat(c.key()).isEqualTo("c1");
        assertThat(c.channel()).isEqualTo("general");
        assertThat(((SendMessage) c.payload()).getText()).isEqualTo("hi");
        assertThat(((SendMessage) c.payload()).getThreadRoot()).isEqualTo(7L);
    }

    @Test
    void fieldsOfTheWrongTypeAreInvalidNotCoerced() {
        Invalid textNumber = refusal("{\"type\":\"send\",\"channel\":\"c\",\"clientMsgId\":\"k\",\"text\":123}");
        assertThat(textNumber.code()).isEqualTo("invalid");
        assertThat(textNumber.getMessage()).contains("\"text\"");
        assertThat(textNumber.id()).isEqualTo("k");
        assertThat(refusal("{\"type\":\"send\",\"channel\":\"c\",\"clientMsgId\":\"k\",\"text\":\"x\",\"threadRoot\":\"abc\"}").getMessage())
                .contains("threadRoot");
        assertThat(refusal("{\"type\":\"send\",\"channel\":\"c\",\"clientMsgId\":\"k\",\"text\":\"x\",\"threadRoot\":1.5}").getMessage())
                .contains("threadRoot");
        assertThat(refusal("{\"type\":\"delete\",\"channel\":\"c\",\"requestId\":\"r\",\"seq\":\"3\"}").getMessage()).contains("seq");
        assertThat(refusal("{\"type\":\"create_channel\",\"channel\":\"c\",\"requestId\":\"r\",\"private\":\"yes\"}").getMessage())
                .contains("private");
        assertThat(refusal("{\"type\":\"history\",\"channel\":\"c\",\"limit\":0}").getMessage()).contains("limit");
        assertThat(refusal("{\"type\":\"events\",\"channel\":\"c\",\"after\":-1}").getMessage()).contains("after");
    }

    @Test
    void titlesAreLimitedTo250CodePoints() throws Invalid {
        String ok = "\uD83C\uDF89".repeat(250);
        ClientRequest.Command c = (ClientRequest.Command) parse(
                "{\"type\":\"create_channel\",\"channel\":\"c\",\"requestId\":\"r\",\"title\":\"" + ok + "\"}");
        assertThat(((CreateChannel) c.payload()).getTitle()).isEqualTo(ok);
        Invalid tooLong = refusal("{\"type\":\"create_channel\",\"channel\":\"c\",\"requestId\":\"r\",\"title\":\"" + "x".repeat(251) + "\"}");
        assertThat(tooLong.code()).isEqualTo("invalid");
        assertThat(tooLong.getMessage()).contains("250");
    }

    @Test
    void loneSurrogatesInIdsAndTextAreInvalid() {
        assertThat(refusal("{\"type\":\"send\",\"channel\":\"c\",\"clientMsgId\":\"k\\ud800\",\"text\":\"x\"}").getMessage())
                .contains("clientMsgId");
        assertThat(refusal("{\"type\":\"send\",\"channel\":\"c\",\"clientMsgId\":\"k\",\"text\":\"a\\udbffb\"}").getMessage())
                .contains("text");
        assertThat(refusal("{\"type\":\"create_channel\",\"channel\":\"c\",\"requestId\":\"r\",\"title\":\"\\udc00\"}").getMessage())
                .contains("title");
    }

    @Test
    void unknownTypesAndNonObjectsHaveTheirOwnCodes() {
        assertThat(refusal("{\"type\":\"teleport\"}").code()).isEqualTo("unknown_type");
        assertThat(refusal("{\"type\":7}").code()).isEqualTo("bad_frame");
        assertThat(refusal("[1,2]").code()).isEqualTo("bad_frame");
        assertThat(refusal("{not json").code()).isEqualTo("bad_frame");
        assertThat(refusal("[".repeat(1000)).code()).isEqualTo("bad_frame");
    }

    @Test
    void echoedInputIsBounded() {
        Invalid e = refusal("{\"type\":\"" + "t".repeat(100_000) + "\"}");
        assertThat(e.getMessage().length()).isLessThan(200);
        Invalid channel = refusal("{\"type\":\"join\",\"requestId\":\"r\",\"channel\":\"" + "c".repeat(100_000) + "\"}");
        assertThat(channel.getMessage().length()).isLessThan(300);
    }

    @Test
    void helloResumeNeedsIntegerSeqs() throws Invalid {
        JsonNode ok = new FrameReader(1 << 20).read("{\"type\":\"hello\",\"token\":\"t\",\"device\":\"d\",\"resume\":{\"c\":1}}");
        assertThat(HelloRequest.parse(ok, 10).resume()).containsEntry("c", 1L);
        JsonNode fraction = new FrameReader(1 << 20).read("{\"type\":\"hello\",\"token\":\"t\",\"device\":\"d\",\"resume\":{\"c\":1.5}}");
        assertThatThrownBy(() -> HelloRequest.parse(fraction, 10)).isInstanceOf(Invalid.class).hasMessageContaining("resume");
    }
}
