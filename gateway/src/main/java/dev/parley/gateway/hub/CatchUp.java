package dev.parley.gateway.hub;

import dev.parley.api.query.ChannelQueries;
import dev.parley.api.query.EventPage;
import dev.parley.api.query.QueryUnavailableException;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills a stream's gap from the topology's queries, page by page, on a worker pool, up to the stream's target
 * (a seq known to be committed: pages are fetched with {@code upTo} = the target). Nothing bounds how far back
 * this goes except {@code maxCatchUp}: beyond it the client gets a {@code behind} frame and pages itself. While
 * the store is behind the target (it applies a commit a moment after the log shows it), or unavailable, it
 * retries with backoff.
 */
public final class CatchUp {

    private static final Logger LOG = LoggerFactory.getLogger(CatchUp.class);

    /** Where catch-up work reports (for metrics). */
    public interface Listener {
        void page(int events);

        Listener NONE = events -> { };
    }

    private final ChannelQueries queries;
    private final ScheduledExecutorService workers;
    private final int pageSize;
    private final int maxCatchUp;
    private final Listener listener;

    public CatchUp(ChannelQueries queries, ScheduledExecutorService workers, int pageSize, int maxCatchUp, Listener listener) {
        this.queries = queries;
        this.workers = workers;
        this.pageSize = pageSize;
        this.maxCatchUp = maxCatchUp;
        this.listener = listener;
    }

    public void schedule(ChannelStream stream) {
        workers.execute(() -> run(stream, true, 0));
    }

    private void run(ChannelStream stream, boolean first, int attempt) {
        try {
            while (stream.session().isOpen() && stream.session().streams().get(stream.channel()) == stream) {
                long from = stream.cursor();
                EventPage page = queries.eventsAfter(stream.channel(), from, pageSize, stream.target());
                listener.page(page.events().size());
                if (first && page.head() - from > maxCatchUp) {
                    stream.detach();
                    stream.session().send(Frames.behind(stream.channel(), from, page.head()));
                    return;
                }
                first = false;
                List<Delivery> events = page.events().stream().map(Delivery::of).toList();
                ChannelStream.Progress progress = stream.apply(events, page.more());
                if (progress == ChannelStream.Progress.CAUGHT_UP) {
                    return;
                }
                if (progress == ChannelStream.Progress.STORE_BEHIND) {
                    retryLater(stream, attempt);
                    return;
                }
                attempt = 0;
            }
            stream.catchUpAbandoned();
        } catch (QueryUnavailableException e) {
            LOG.warn("catch-up of {} for {} waits for the topology: {}", stream.channel(), stream.session().user(), e.getMessage());
            retryLater(stream, attempt);
        } catch (RuntimeException e) {
            LOG.error("catch-up of {} for {} failed", stream.channel(), stream.session().user(), e);
            retryLater(stream, attempt);
        }
    }

    private void retryLater(ChannelStream stream, int attempt) {
        if (!stream.session().isOpen()) {
            stream.catchUpAbandoned();
            return;
        }
        long delay = Math.min(2_000, 20L << Math.min(attempt, 7));
        workers.schedule(() -> run(stream, false, attempt + 1), delay, TimeUnit.MILLISECONDS);
    }
}
