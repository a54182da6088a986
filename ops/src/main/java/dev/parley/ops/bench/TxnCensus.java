package dev.parley.ops.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The transactions a run committed, counted from what the broker stored (read by {@link TxnLogReader}): per
 * application and window, how many transactions, how many partitions each touched (each gets a commit marker)
 * and how many records each wrote. Transactions are told apart by producer id and epoch: with transaction
 * version 2 (KIP-890, which Parley requires) the producer's epoch goes up at every commit, and the commit
 * marker carries the new epoch.
 */
final class TxnCensus {

    /**
     * One record batch as stored in a partition's log.
     *
     * @param topic      the partition's topic
     * @param partition  the partition
     * @param control    a commit/abort marker rather than data
     * @param timestamp  the batch's max timestamp (for markers: the broker's clock when it wrote them)
     * @param records    records in the batch
     */
    record Batch(String topic, int partition, long producerId, short producerEpoch, boolean control, long timestamp, int records) {
    }

    /** A window of wall-clock time in which the transactions of one application are counted (by commit time). */
    record Span(String name, String app, long fromMillis, long toMillis) {
    }

    /**
     * @param partitionsMean mean partitions touched per transaction (= commit markers per transaction)
     * @param markersByTopic commit markers written in the window, by topic
     */
    record Summary(Span span, int transactions, double partitionsMean, int partitionsP50, int partitionsMax, double recordsMean,
                   double markersPerSecond, Map<String, Integer> markersByTopic) {
    }

    private record TxnId(long producerId, short epoch) {
    }

    private static final class Txn {
        String app;
        long committedAt = Long.MAX_VALUE;
        final Set<String> partitions = new TreeSet<>();
        int records;
    }

    private final Function<String, String> appOfTopic;
    private final Map<TxnId, Txn> txns = new HashMap<>();

    /** @param appOfTopic which application writes a topic, or null for topics that do not tell (e.g. the offsets topic) */
    TxnCensus(Function<String, String> appOfTopic) {
        this.appOfTopic = appOfTopic;
    }

    /** Counts one transactional batch (in any order). */
    void add(Batch b) {
        // A marker carries the epoch the commit bumped to; the data it closes was written with the one before.
        TxnId id = new TxnId(b.producerId(), b.control() ? (short) (b.producerEpoch() - 1) : b.producerEpoch());
        Txn t = txns.computeIfAbsent(id, x -> new Txn());
        if (b.control()) {
            t.committedAt = Math.min(t.committedAt, b.timestamp());
        } else {
            t.partitions.add(b.topic() + "-" + b.partition());
            t.records += b.records();
            if (t.app == null) {
                t.app = appOfTopic.apply(b.topic());
            }
        }
    }

    /** The transactions of each span's application committed in that span. */
    List<Summary> summarize(List<Span> spans) {
        List<Summary> out = new ArrayList<>();
        for (Span s : spans) {
            List<Integer> sizes = new ArrayList<>();
            long records = 0;
            Map<String, Integer> markers = new TreeMap<>();
            for (Txn t : txns.values()) {
                if (!s.app().equals(t.app) || t.committedAt < s.fromMillis() || t.committedAt >= s.toMillis() || t.partitions.isEmpty()) {
                    continue;
                }
                sizes.add(t.partitions.size());
                records += t.records;
                t.partitions.forEach(p -> markers.merge(p.substring(0, p.lastIndexOf('-')), 1, Integer::sum));
            }
            Collections.sort(sizes);
            int n = sizes.size();
            double seconds = Math.max(1, s.toMillis() - s.fromMillis()) / 1000.0;
            double mean = n == 0 ? Double.NaN : sizes.stream().mapToInt(Integer::intValue).sum() / (double) n;
            out.add(new Summary(s, n, mean, n == 0 ? 0 : sizes.get(n / 2), n == 0 ? 0 : sizes.get(n - 1),
                    n == 0 ? Double.NaN : records / (double) n, markers.values().stream().mapToInt(Integer::intValue).sum() / seconds,
                    markers));
        }
        return out;
    }
}
