package dev.parley.gateway.routing;

import java.util.HashMap;
import java.util.Map;

/**
 * Whether a router answers this gateway's routes. The router answers every new route with a {@code RouteStarted} on
 * this gateway's deliveries partition, within a commit or two. A route still unanswered after {@code patience} means
 * that no router copies events here ({@code PARLEY_ROUTER_ENABLED=false} on the topology, or the router stopped), so
 * this gateway's clients get no live events: {@link #check(long)} says so once, when the first route becomes overdue,
 * and once more when every overdue route was answered (or dropped).
 *
 * <p>Pure and thread-safe: routes are asked for on the routes thread and answered on the deliveries tail's; time is
 * the caller's ({@code now} in milliseconds of any monotonic clock).
 */
public final class RouterWatch {

    /** What {@link #check(long)} found: how many routes are overdue, one of them, and whether that just changed. */
    public record Check(int overdue, String example, long waitedMillis, Transition transition) {
    }

    /** A change of the overdue state since the previous check. */
    public enum Transition {
        NONE, BECAME_OVERDUE, ANSWERED_AGAIN
    }

    private final long patienceMillis;
    private final Map<String, Long> waiting = new HashMap<>();
    private boolean overdue;

    public RouterWatch(long patienceMillis) {
        if (patienceMillis <= 0) {
            throw new IllegalArgumentException("patience must be > 0");
        }
        this.patienceMillis = patienceMillis;
    }

    /** A new route of the channel was written: the router should answer it. */
    public synchronized void asked(String channel, long now) {
        waiting.putIfAbsent(channel, now);
    }

    /** The router started the channel's route. */
    public synchronized void answered(String channel) {
        waiting.remove(channel);
    }

    /** The route was removed: no answer is expected any more. */
    public synchronized void dropped(String channel) {
        waiting.remove(channel);
    }

    /** New routes not answered yet, overdue or not. */
    public synchronized int waiting() {
        return waiting.size();
    }

    public synchronized Check check(long now) {
        int count = 0;
        String example = null;
        long longest = 0;
        for (Map.Entry<String, Long> e : waiting.entrySet()) {
            long waited = now - e.getValue();
            if (waited >= patienceMillis) {
                count++;
                if (waited > longest || example == null) {
                    longest = waited;
                    example = e.getKey();
                }
            }
        }
        Transition t = Transition.NONE;
        if (count > 0 && !overdue) {
            t = Transition.BECAME_OVERDUE;
        } else if (count == 0 && overdue) {
            t = Transition.ANSWERED_AGAIN;
        }
        overdue = count > 0;
        return new Check(count, example, longest, t);
    }
}
