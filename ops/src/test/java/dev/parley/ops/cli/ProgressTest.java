package dev.parley.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Progress lines of long scans: count, total, percent, rate; nothing for scans shorter than one period. */
class ProgressTest {

    @Test
    void aScanShorterThanOnePeriodPrintsNothing() {
        StringWriter err = new StringWriter();
        Progress p = new Progress(new PrintWriter(err, true), "scan", 1000, 60_000);
        p.update(500, "3 channels");
        p.done(1000, "3 channels");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void aLongScanPrintsWhereItIsAndALastLine() {
        StringWriter err = new StringWriter();
        Progress p = new Progress(new PrintWriter(err, true), "replay-check", 1000, 0);
        p.update(250, "2 channels, 0 violations");
        p.update(1000, "4 channels, 0 violations");
        p.done(1000, "4 channels, 0 violations");
        assertThat(err.toString().lines().toList()).hasSize(3).satisfies(lines -> {
            assertThat(lines.get(0)).startsWith("replay-check: 250 of 1,000 records (25%), ").endsWith("records/s, 2 channels, 0 violations");
            assertThat(lines.get(1)).startsWith("replay-check: 1,000 of 1,000 records (100%)");
            assertThat(lines.get(2)).endsWith(" done");
        });
    }
}
