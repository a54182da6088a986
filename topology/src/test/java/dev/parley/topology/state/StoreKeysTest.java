package dev.parley.topology.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

class StoreKeysTest {

    @Test
    void seqsOfAChannelSortNumericallyAndStayInsideTheChannel() {
        List<Bytes> keys = new ArrayList<>(List.of(StoreKeys.channelSeq("a", 10), StoreKeys.channelSeq("ab", 1),
                StoreKeys.channelSeq("a", 2), StoreKeys.channelSeq("a", 256), StoreKeys.channelSeq("b", 1)));
        keys.sort(Bytes::compareTo);
        assertThat(keys).containsExactly(StoreKeys.channelSeq("a", 2), StoreKeys.channelSeq("a", 10),
                StoreKeys.channelSeq("a", 256), StoreKeys.channelSeq("b", 1), StoreKeys.channelSeq("ab", 1));
        assertThat(StoreKeys.seqOf(StoreKeys.channelSeq("general", 123_456_789L))).isEqualTo(123_456_789L);
    }

    @Test
    void pairsSortBySecondIdWithinTheFirstAndNeverLeakAcrossPrefixes() {
        List<Bytes> keys = new ArrayList<>(List.of(StoreKeys.pair("c", "bob"), StoreKeys.pair("c", "alice"),
                StoreKeys.pair("cc", "aaron"), StoreKeys.pair("c", "al")));
        keys.sort(Bytes::compareTo);
        assertThat(keys).extracting(StoreKeys::secondOf).containsExactly("al", "alice", "bob", "aaron");
        for (Bytes k : List.of(StoreKeys.pair("c", "alice"), StoreKeys.pair("c", "zzz"))) {
            assertThat(k.compareTo(StoreKeys.prefix("c"))).isPositive();
            assertThat(k.compareTo(StoreKeys.prefixEnd("c"))).isNegative();
        }
        assertThat(StoreKeys.pair("cc", "aaron").compareTo(StoreKeys.prefixEnd("c"))).isPositive();
        assertThat(StoreKeys.secondOf(StoreKeys.pair("chan", "ünïcode user"))).isEqualTo("ünïcode user");
    }
}
