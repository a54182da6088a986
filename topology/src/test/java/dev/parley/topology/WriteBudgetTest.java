package dev.parley.topology;

import static dev.parley.topology.support.DriverFixture.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.topology.state.StoreNames;
import dev.parley.topology.support.Commands;
import dev.parley.topology.support.CountingStores;
import dev.parley.topology.support.DriverFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write path's budget per plain send (issue 11): at most 3 RocksDB writes and 5 records produced (log,
 * result, and the changelog records of those writes). Counted on the real topology: TopologyTestDriver captures
 * every record produced, changelogs included, and {@link CountingStores} counts the writes that reach RocksDB.
 * docs/architecture.md quotes these numbers.
 */
class WriteBudgetTest {

    static final int MAX_STORE_WRITES = 3;
    static final int MAX_RECORDS = 5;

    @TempDir
    Path stateDir;
    private final CountingStores stores = new CountingStores();
    private DriverFixture f;

    @AfterEach
    void close() {
        f.close();
        f.dropRegistry();
    }

    @Test
    void aPlainSendCostsAtMostThreeStoreWritesAndFiveRecords() {
        f = new DriverFixture(stateDir, Duration.ofHours(24), "budget-" + UUID.randomUUID(), stores);
        f.pipe(Commands.create("general", "alice", false, at(0)));
        f.pipe(Commands.join("general", "bob", at(1)));
        f.pipe(Commands.send("general", "bob", "warm-up", "the registry knows the schemas now", at(2)));
        produced(); // drain
        stores.reset();

        f.pipe(Commands.send("general", "alice", "k1", "hello @bob", at(3)));

        Map<String, Integer> records = produced();
        assertThat(records).as("records produced by one send").containsExactlyInAnyOrderEntriesOf(Map.of(
                f.names.log(), 1,
                f.names.results(), 1,
                changelog(StoreNames.CHANNEL_STATE), 2,    // the event and the meta (head)
                changelog(StoreNames.DEDUPE), 1));          // the idempotency key
        assertThat(records.values().stream().mapToInt(Integer::intValue).sum()).isLessThanOrEqualTo(MAX_RECORDS);
        assertThat(stores.writes(StoreNames.CHANNEL_STATE)).isEqualTo(2);
        assertThat(stores.writes(StoreNames.DEDUPE)).isEqualTo(1);
        assertThat(stores.writes(StoreNames.USER_STATE)).isZero();
        assertThat(stores.totalWrites()).isLessThanOrEqualTo(MAX_STORE_WRITES);
    }

    @Test
    void aReadCursorTakesNoChannelWriteAndReachesOnlyTheUser() {
        f = new DriverFixture(stateDir, Duration.ofHours(24), "budget-" + UUID.randomUUID(), stores);
        f.pipe(Commands.create("general", "alice", false, at(0)));
        f.pipe(Commands.send("general", "alice", "k1", "hello", at(1)));
        f.pipe(Commands.markRead("general", "alice", "warm-up", 1, at(2)));
        produced();
        stores.reset();

        f.pipe(Commands.markRead("general", "alice", "r1", 2, at(3)));

        assertThat(produced()).containsExactlyInAnyOrderEntriesOf(Map.of(
                DriverFixture.APPLICATION_ID + "-" + StoreNames.USER_UPDATES + "-repartition", 1,
                changelog(StoreNames.USER_STATE), 1,
                f.names.results(), 1,
                f.names.userEvents(), 1));
        assertThat(stores.writes(StoreNames.CHANNEL_STATE)).isZero();
        assertThat(stores.writes(StoreNames.DEDUPE)).isZero();
        assertThat(stores.writes(StoreNames.USER_STATE)).isEqualTo(1);
    }

    private static String changelog(String store) {
        return DriverFixture.APPLICATION_ID + "-" + store + "-changelog";
    }

    /** Records produced since the last call, per topic. */
    private Map<String, Integer> produced() {
        Map<String, Integer> out = new TreeMap<>();
        for (String topic : f.driver.producedTopicNames()) {
            int n = f.driver.createOutputTopic(topic, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer())
                    .readRecordsToList().size();
            if (n > 0) {
                out.put(topic, n);
            }
        }
        return out;
    }
}
