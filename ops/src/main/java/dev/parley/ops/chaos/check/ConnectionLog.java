package dev.parley.ops.chaos.check;

import java.util.List;
import java.util.Map;

/**
 * Everything one WebSocket connection of a protocol probe received, in order: what the gateway itself delivered,
 * before any client-side gap filling. The gateway promises per channel strictly increasing seqs with no gap and
 * no repeat from where the connection started (docs/protocol.md "Ordering guarantee"), and that {@code caught_up}
 * at seq N means the connection has every event up to N.
 *
 * @param client  the client that opened it
 * @param user    its user
 * @param number  the client's n-th connection (1, 2, ...)
 * @param resumed the hello's {@code resume} map: channel -> last seq held
 * @param frames  what arrived (and the {@code subscribe}s sent), in order
 */
public record ConnectionLog(String client, String user, int number, Map<String, Long> resumed, List<Frame> frames) {

    public ConnectionLog {
        resumed = Map.copyOf(resumed);
        frames = List.copyOf(frames);
    }

    /** A frame of the connection, reduced to what the checks need. */
    public sealed interface Frame {
    }

    /** The welcome: each listed channel's head. */
    public record Welcome(Map<String, Long> heads) implements Frame {
        public Welcome {
            heads = Map.copyOf(heads);
        }
    }

    /** An {@code event} frame, and when it arrived ({@link System#nanoTime()}). */
    public record Event(String channel, long seq, String eventId, long atNanos) implements Frame {
        public static Event of(String channel, long seq) {
            return new Event(channel, seq, LoggedEvent.id(channel, seq), 0);
        }
    }

    /** {@code caught_up}: the connection claims to have every event of the channel up to {@code seq}. */
    public record CaughtUp(String channel, long seq) implements Frame {
    }

    /** {@code behind}: no live events of the channel until the client subscribes again. */
    public record Behind(String channel, long after, long head) implements Frame {
    }

    /** The {@code resume_ahead} error: the channel is followed from {@code head}. */
    public record ResumeAhead(String channel, long head) implements Frame {
    }

    /** Sent by the client: {@code subscribe} from {@code after} (after paging past a {@code behind}). */
    public record Subscribed(String channel, long after) implements Frame {
    }
}
