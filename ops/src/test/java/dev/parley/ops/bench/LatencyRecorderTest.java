package dev.parley.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

    private static final long MS = 1_000_000L;

    @Test
    void aStallCountsInFullForEveryOperationScheduledDuringIt() {
        // 1 op per ms for 100 ms; the system stalls: every answer arrives at t = 100 ms.
        // Measured from when each op was due, latencies spread evenly from 100 ms down to 1 ms,
        // instead of the single slow op a closed-loop measurement would see.
        LatencyRecorder r = new LatencyRecorder("stall");
        for (int i = 0; i < 100; i++) {
            r.record(i * MS, 100 * MS);
        }
        LatencyRecorder.Summary s = r.summary();
        assertThat(s.count()).isEqualTo(100);
        assertThat(s.p50()).isBetween(49.0, 51.5);
        assertThat(s.p90()).isBetween(89.0, 91.5);
        assertThat(s.max()).isBetween(99.5, 100.5);
    }

    @Test
    void onlyOperationsDueInsideTheWindowCount() {
        LatencyRecorder r = new LatencyRecorder("window").window(10 * MS, 20 * MS);
        for (int i = 0; i < 30; i++) {
            r.record(i * MS, i * MS + 5 * MS);
        }
        assertThat(r.count()).isEqualTo(10);
        assertThat(r.excluded()).isEqualTo(20);
        assertThat(r.summary().p99()).isBetween(4.99, 5.01);
    }

    @Test
    void anAnswerBeforeItsDueTimeCountsAsZero() {
        LatencyRecorder r = new LatencyRecorder("early");
        r.record(10 * MS, 9 * MS);
        assertThat(r.summary().max()).isZero();
    }

    @Test
    void anEmptyRecorderHasNoPercentiles() {
        LatencyRecorder.Summary s = new LatencyRecorder("none").summary();
        assertThat(s.count()).isZero();
        assertThat(s.p99()).isNaN();
    }
}
