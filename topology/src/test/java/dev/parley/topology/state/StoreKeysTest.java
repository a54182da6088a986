package dev.parley.topology.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

class StoreKeysTest {

    @Test
    void eventsOfAChannelSortNumericallyAndStayInsideTheChannel() {
        List<Bytes> keys = new ArrayList<>(List.of(StoreKeys.event("a", 10), StoreKeys.event("ab", 1),
                StoreKeys.event("a", 2), StoreKeys.event("a", 256), StoreKeys.event("b", 1)));
        keys.sort(Bytes::compareTo);
        assertThat(keys).containsExactly(StoreKeys.event("a", 2), StoreKeys.event("a", 10),
                StoreKeys.event("a", 256), StoreKeys.event("b", 1), StoreKeys.event("ab", 1));
        assertThat(StoreKeys.seqOf(StoreKeys.event("general", 123_456_789L))).isEqualTo(123_456_789L);
    }

    @Test
    void aChannelsSectionsAreContiguousRangesInTheirOwnOrder() {
        List<Bytes> keys = new ArrayList<>(List.of(StoreKeys.threadReply("c", 2, 3), StoreKeys.overlay("c", 1),
                StoreKeys.event("c", Long.MAX_VALUE), StoreKeys.member("c", "zoe"), StoreKeys.meta("c"), StoreKeys.event("c", 1),
                StoreKeys.member("c", "al"), StoreKeys.meta("cc"), StoreKeys.meta("b")));
        keys.sort(Bytes::compareTo);
        assertThat(keys).containsExactly(StoreKeys.meta("b"), StoreKeys.meta("c"), StoreKeys.member("c", "al"), StoreKeys.member("c", "zoe"),
                StoreKeys.event("c", 1), StoreKeys.event("c", Long.MAX_VALUE), StoreKeys.overlay("c", 1), StoreKeys.threadReply("c", 2, 3),
                StoreKeys.meta("cc"));
        for (Bytes member : List.of(StoreKeys.member("c", "al"), StoreKeys.member("c", "\uFFFF"))) {
            assertThat(member.compareTo(StoreKeys.membersFrom("c"))).isGreaterThanOrEqualTo(0);
            assertThat(member.compareTo(StoreKeys.membersEnd("c"))).isNegative();
        }
        assertThat(StoreKeys.userOf(StoreKeys.member("chan", "ünïcode user"))).isEqualTo("ünïcode user");
        assertThat(StoreKeys.seqOf(StoreKeys.threadReply("c", 2, 99))).isEqualTo(99);
    }

    @Test
    void aUsersChannelsShareAPrefixAndSortByChannel() {
        List<Bytes> keys = new ArrayList<>(List.of(StoreKeys.userChannel("u", "b"), StoreKeys.userChannel("uu", "a"),
                StoreKeys.userChannel("u", "a")));
        keys.sort(Bytes::compareTo);
        assertThat(keys).extracting(StoreKeys::channelOf).containsExactly("a", "b", "a");
        byte[] prefix = StoreKeys.userPrefix("u").get();
        assertThat(startsWith(StoreKeys.userChannel("u", "x").get(), prefix)).isTrue();
        assertThat(startsWith(StoreKeys.userChannel("uu", "x").get(), prefix)).isFalse();
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && java.util.Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }
}
