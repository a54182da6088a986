package dev.parley.gateway.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** How waiting events become frames: cut by count and size, rendered once, private events per user. */
class BatchTest {

    private static Delivery message(long seq, String text) {
        return new Delivery("c", seq, "message", "alice", "{\"type\":\"event\",\"channel\":\"c\",\"seq\":" + seq
                + ",\"kind\":\"message\",\"user\":\"alice\",\"text\":\"" + text + "\"}");
    }

    private static List<Delivery> messages(long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(s -> message(s, "m" + s)).toList();
    }

    private static JsonNode json(SharedFrame f) throws Exception {
        return Frames.JSON.readTree(f.text());
    }

    @Test
    void severalEventsAreOneEventsFrameSharedByEveryUser() throws Exception {
        Batch b = new Batch("c", messages(5, 7));
        SharedFrame forBob = b.frameFor("bob");
        assertThat(b.frameFor("carol")).as("rendered once").isSameAs(forBob);
        JsonNode n = json(forBob);
        assertThat(n.path("type").asText()).isEqualTo("events");
        assertThat(n.path("channel").asText()).isEqualTo("c");
        assertThat(n.path("live").asBoolean()).isTrue();
        List<Long> seqs = new ArrayList<>();
        n.path("events").forEach(e -> {
            assertThat(e.path("type").asText()).isEqualTo("event");
            seqs.add(e.path("seq").asLong());
        });
        assertThat(seqs).containsExactly(5L, 6L, 7L);
        assertThat(b.first()).isEqualTo(5);
        assertThat(b.last()).isEqualTo(7);
    }

    @Test
    void aLoneEventIsItsOwnEventFrame() throws Exception {
        Delivery d = message(9, "hi");
        Batch b = new Batch("c", List.of(d));
        assertThat(b.frameFor("bob")).isSameAs(d.frame());
        assertThat(json(b.frameFor("bob")).path("type").asText()).isEqualTo("event");
    }

    @Test
    void waitingEventsAreCutByCountAndBySizeAndAnOversizedEventGoesAlone() {
        List<Batch> byCount = Batch.of("c", messages(1, 10), 4, 60_000);
        assertThat(byCount).extracting(b -> b.events().size()).containsExactly(4, 4, 2);
        assertThat(byCount).extracting(Batch::first).containsExactly(1L, 5L, 9L);

        List<Delivery> mixed = new ArrayList<>(messages(1, 2));
        mixed.add(message(3, "x".repeat(3_000)));
        mixed.addAll(messages(4, 5));
        List<Batch> bySize = Batch.of("c", mixed, 100, 2_000);
        assertThat(bySize).extracting(b -> b.events().size()).containsExactly(2, 1, 2);
        assertThat(bySize.get(1).frameFor("bob")).isSameAs(mixed.get(2).frame());
        for (Batch b : bySize) {
            assertThat(b.frameFor("bob").chars()).isLessThanOrEqualTo(b.events().size() == 1 ? Integer.MAX_VALUE : 2_000 + 64);
        }
    }

    @Test
    void aBatchWithAnEventPrivateToItsActorShowsOthersThePlaceholder() throws Exception {
        Delivery read = new Delivery("c", 2, "read", "bob", "{\"type\":\"event\",\"channel\":\"c\",\"seq\":2,\"kind\":\"read\",\"user\":\"bob\",\"upTo\":1}");
        Batch b = new Batch("c", List.of(message(1, "a"), read, message(3, "b")));
        JsonNode forBob = json(b.frameFor("bob"));
        JsonNode forCarol = json(b.frameFor("carol"));
        assertThat(forBob.path("events").get(1).path("kind").asText()).isEqualTo("read");
        assertThat(forBob.path("events").get(1).path("upTo").asLong()).isEqualTo(1);
        assertThat(forCarol.path("events").get(1).path("kind").asText()).isEqualTo("hidden");
        assertThat(forCarol.path("events").get(1).has("upTo")).isFalse();
        assertThat(forCarol.path("events").get(1).path("seq").asLong()).isEqualTo(2);
    }

    @Test
    void theSharedBytesAreTheTextInUtf8AndEachSendGetsItsOwnView() {
        SharedFrame f = new SharedFrame("{\"text\":\"héllo 🎉\"}");
        var a = f.bytes();
        var b = f.bytes();
        byte[] read = new byte[a.remaining()];
        a.get(read);
        assertThat(new String(read, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(f.text());
        assertThat(b.remaining()).as("reading one view leaves the other whole").isEqualTo(read.length);
        assertThat(b.isReadOnly()).isTrue();
        assertThat(a.isDirect()).as("a frame for many: off the heap, written without another copy").isTrue();
        var once = SharedFrame.once(f.text()).bytes();
        assertThat(once.isDirect()).as("a frame for one connection: on the heap").isFalse();
        assertThat(once.remaining()).isEqualTo(read.length);
    }
}
