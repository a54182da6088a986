package dev.parley.ops.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of a long scan on stderr, at most every {@code everyMillis}: records done out of the total,
 * percent, rate. Silent for scans that finish before the first report is due.
 */
final class Progress {

    private final PrintWriter err;
    private final String what;
    private final long total;
    private final long everyMillis;
    private final long startNanos = System.nanoTime();
    private long lastReport = System.nanoTime();
    private boolean reported;

    Progress(PrintWriter err, String what, long total, long everyMillis) {
        this.err = err;
        this.what = what;
        this.total = total;
        this.everyMillis = everyMillis;
    }

    /** Reports if one is due; {@code extra} is appended (e.g. "1,234 channels"). */
    void update(long done, String extra) {
        long now = System.nanoTime();
        if ((now - lastReport) / 1_000_000 < everyMillis) {
            return;
        }
        lastReport = now;
        reported = true;
        err.println(line(done, now, extra));
        err.flush();
    }

    /** A last line, only if progress was shown before (so short scans stay quiet). */
    void done(long done, String extra) {
        if (reported) {
            err.println(line(done, System.nanoTime(), extra) + " done");
            err.flush();
        }
    }

    private String line(long done, long now, String extra) {
        double secs = Math.max(0.001, (now - startNanos) / 1e9);
        String pct = total > 0 ? String.format(Locale.ROOT, " (%.0f%%)", 100.0 * Math.min(done, total) / total) : "";
        return String.format(Locale.ROOT, "%s: %,d of %,d records%s, %,.0f records/s%s", what, done, total, pct,
                done / secs, extra == null || extra.isEmpty() ? "" : ", " + extra);
    }
}
