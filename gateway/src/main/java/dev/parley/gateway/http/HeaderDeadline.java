package dev.parley.gateway.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes an HTTP connection that trickles: one that, within {@code deadline} of opening, has not sent a whole
 * request head, or that keeps sending bytes for a whole {@code deadline} without completing one. The idle
 * timeout alone cannot do this: each trickled byte resets it (slowloris). Connections that were upgraded to a
 * WebSocket are left alone; a request waiting for its answer sends nothing and is not touched.
 */
public final class HeaderDeadline implements Connection.Listener {

    private final Scheduler scheduler;
    private final long deadlineMs;

    public HeaderDeadline(Scheduler scheduler, Duration deadline) {
        this.scheduler = scheduler;
        this.deadlineMs = deadline.toMillis();
    }

    @Override
    public void onOpened(Connection connection) {
        check(connection, 0, 0);
    }

    private void check(Connection c, long messagesBefore, long bytesBefore) {
        scheduler.schedule(() -> {
            if (!c.getEndPoint().isOpen() || c.getEndPoint().getConnection() != c) {
                return; // closed, or upgraded (WebSocket)
            }
            long messages = c.getMessagesIn();
            long bytes = c.getBytesIn();
            boolean noHeadYet = messages == 0;
            boolean trickling = messages == messagesBefore && bytes > bytesBefore;
            if (noHeadYet || trickling) {
                c.getEndPoint().close();
                return;
            }
            check(c, messages, bytes);
        }, deadlineMs, TimeUnit.MILLISECONDS);
    }
}
