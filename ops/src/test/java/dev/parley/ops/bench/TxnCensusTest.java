package dev.parley.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TxnCensusTest {

    private static final String TAG = "b1x";

    /** One transaction as the broker stores it: a data batch per partition, then a marker (epoch + 1) per partition. */
    private static List<TxnCensus.Batch> txn(long pid, short epoch, long committedAt, int recordsPerBatch, String... topicPartitions) {
        List<TxnCensus.Batch> out = new ArrayList<>();
        for (String tp : topicPartitions) {
            int dash = tp.lastIndexOf('-');
            String topic = tp.substring(0, dash);
            int p = Integer.parseInt(tp.substring(dash + 1));
            out.add(new TxnCensus.Batch(topic, p, pid, epoch, false, committedAt - 30, recordsPerBatch));
            out.add(new TxnCensus.Batch(topic, p, pid, (short) (epoch + 1), true, committedAt, 1));
        }
        return out;
    }

    @Test
    void partitionsPerTransactionAreCountedPerApplicationAndWindow() {
        TxnCensus census = new TxnCensus(t -> BenchRun.appOfTopic(t, TAG));
        List<TxnCensus.Batch> all = new ArrayList<>();
        // Parley: two transactions of one producer (epochs 4 and 5) and one of another, in the window [1000, 2000)
        all.addAll(txn(7, (short) 4, 1_100, 3, "parley.log-1", "parley.results-5", "parley-bench-b1x-seq-dedupe-changelog-1",
                "__consumer_offsets-12"));
        all.addAll(txn(7, (short) 5, 1_500, 2, "parley.log-1", "parley.results-5", "__consumer_offsets-12"));
        all.addAll(txn(8, (short) 0, 1_900, 1, "parley.log-2", "parley.results-5", "parley-bench-b1x-seq-dedupe-changelog-2",
                "parley-bench-b1x-log-events-changelog-2", "__consumer_offsets-12"));
        // after the window
        all.addAll(txn(8, (short) 1, 2_000, 1, "parley.log-2", "__consumer_offsets-12"));
        // the bare pipe: out + its store's changelog + offsets
        all.addAll(txn(9, (short) 3, 1_200, 10, "bench.b1x.eos.out-4", "bench-pipe-42-pipe-store-changelog-4", "__consumer_offsets-30"));
        // data of an open transaction (no marker yet) is not a committed transaction
        all.add(new TxnCensus.Batch("parley.log", 3, 10, (short) 0, false, 1_300, 5));
        java.util.Collections.reverse(all); // order does not matter
        all.forEach(census::add);

        List<TxnCensus.Summary> s = census.summarize(List.of(new TxnCensus.Span("W2", "parley", 1_000, 2_000),
                new TxnCensus.Span("eos saturation", "eos", 1_000, 2_000), new TxnCensus.Span("nothing", "ci5", 1_000, 2_000)));

        TxnCensus.Summary parley = s.get(0);
        assertThat(parley.transactions()).isEqualTo(3);
        assertThat(parley.partitionsMean()).isEqualTo(4.0); // (4 + 3 + 5) / 3
        assertThat(parley.partitionsP50()).isEqualTo(4);
        assertThat(parley.partitionsMax()).isEqualTo(5);
        assertThat(parley.recordsMean()).isEqualTo((12 + 6 + 5) / 3.0);
        assertThat(parley.markersPerSecond()).isEqualTo(12.0); // 12 markers in 1 s
        assertThat(parley.markersByTopic()).containsEntry("parley.log", 3).containsEntry("parley.results", 3)
                .containsEntry("__consumer_offsets", 3).containsEntry("parley-bench-b1x-seq-dedupe-changelog", 2)
                .containsEntry("parley-bench-b1x-log-events-changelog", 1);

        TxnCensus.Summary pipe = s.get(1);
        assertThat(pipe.transactions()).isEqualTo(1);
        assertThat(pipe.partitionsMean()).isEqualTo(3.0);
        assertThat(pipe.recordsMean()).isEqualTo(30.0);

        assertThat(s.get(2).transactions()).isZero();
        assertThat(s.get(2).partitionsMean()).isNaN();
    }

    @Test
    void topicsTellWhoseTransactionItIs() {
        assertThat(BenchRun.appOfTopic("parley.log", TAG)).isEqualTo("parley");
        assertThat(BenchRun.appOfTopic("parley-bench-b1x-seq-messages-changelog", TAG)).isEqualTo("parley");
        assertThat(BenchRun.appOfTopic("bench.b1x.ci20.out", TAG)).isEqualTo("ci20");
        assertThat(BenchRun.appOfTopic("bench.b1x.eos.out", TAG)).isEqualTo("eos");
        assertThat(BenchRun.appOfTopic("__consumer_offsets", TAG)).isNull();
        assertThat(BenchRun.appOfTopic("bench-pipe-42-pipe-store-changelog", TAG)).isNull();
    }
}
