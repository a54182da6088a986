package dev.parley.gateway.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.api.Limits;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The standing guard over the validation layer: random text and mutated valid frames never make it throw
 * anything but {@link Invalid}, every refusal carries a documented code, and what it echoes stays bounded
 * and well-formed (docs/protocol.md "Error codes").
 */
public class RequestParserPropertiesTest {

    /** The codes the frame reader and the parser may answer with; all in docs/protocol.md. */
    public static final Set<String> DOCUMENTED = Set.of("invalid", "bad_frame", "unknown_type", "frame_too_large");

    static final List<String> TYPES = List.of("send", "create_channel", "join", "leave", "add_member", "edit", "delete",
            "react", "unreact", "mark_read", "open_dm", "set_notifications", "history", "events", "thread", "channels", "subscribe", "ping", "hello");
    static final List<String> FIELDS = List.of("type", "channel", "clientMsgId", "requestId", "text", "threadRoot", "seq",
            "emoji", "user", "users", "private", "title", "before", "after", "limit", "root", "token", "device", "resume",
            "level", "channelLevel");

    private final FrameReader reader = new FrameReader(64 * 1024);

    @Property(tries = 2000)
    void anyTextGetsARequestOrADocumentedRefusal(@ForAll("texts") String text) {
        check(text);
    }

    @Property(tries = 3000)
    void mutatedFramesGetARequestOrADocumentedRefusal(@ForAll("mutatedFrames") String text) {
        check(text);
    }

    private void check(String text) {
        try {
            JsonNode frame = reader.read(text);
            if ("hello".equals(frame.path("type").textValue())) {
                HelloRequest.parse(frame, 1000);
            } else {
                assertThat(RequestParser.parse(frame, "alice")).isNotNull();
            }
        } catch (Invalid e) {
            assertThat(DOCUMENTED).contains(e.code());
            assertThat(e.getMessage()).isNotBlank().hasSizeLessThan(400);
            assertThat(Limits.isWellFormed(e.getMessage())).isTrue();
            if (e.id() != null) {
                String echoed = dev.parley.gateway.hub.Echo.id(e.id());
                assertThat(echoed.length()).isLessThanOrEqualTo(Limits.MAX_ID_CHARS);
                assertThat(Limits.isWellFormed(echoed)).isTrue();
            }
        }
    }

    @Provide
    public Arbitrary<String> texts() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(300),
                Arbitraries.strings().withChars("{}[]\":,0123456789.-eEtruefalsn \\u").ofMaxLength(200),
                Arbitraries.strings().withChars("\ud800\udc00\udbff\udfff{}\":a\\").ofMaxLength(50));
    }

    @Provide
    public Arbitrary<String> mutatedFrames() {
        Arbitrary<JsonNode> values = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(300).map(JsonNodeFactory.instance::textNode),
                Arbitraries.of("general", "dm-x", "c", "", " ", "k\ud800", ":thumbsup:", "\ud83c\udf89").map(JsonNodeFactory.instance::textNode),
                Arbitraries.longs().map(JsonNodeFactory.instance::numberNode),
                Arbitraries.doubles().map(JsonNodeFactory.instance::numberNode),
                Arbitraries.of(true, false).map(JsonNodeFactory.instance::booleanNode),
                Arbitraries.just(JsonNodeFactory.instance.nullNode()),
                Arbitraries.just(JsonNodeFactory.instance.arrayNode().add("bob").add(7)),
                Arbitraries.just(JsonNodeFactory.instance.objectNode().put("c", 1.5).put("d", -1)),
                Arbitraries.integers().between(0, 5000).map(n -> JsonNodeFactory.instance.textNode("x".repeat(n))));
        Arbitrary<ObjectNode> frames = Combinators.combine(
                Arbitraries.of(TYPES),
                Arbitraries.maps(Arbitraries.of(FIELDS), values).ofMaxSize(8)).as((type, fields) -> {
                    ObjectNode n = JsonNodeFactory.instance.objectNode();
                    n.put("type", type);
                    fields.forEach(n::set);
                    return n;
                });
        return frames.map(JsonNode::toString);
    }
}
