package dev.parley.topology.sequencer;

import dev.parley.avro.event.ChannelEvent;
import dev.parley.topology.state.DedupeEntry;

/** What the sequencer decided for one command. */
public sealed interface Decision {

    /** Append this event (with the next seq) to the committed log. */
    record Append(ChannelEvent event) implements Decision {
    }

    /** The idempotency key was used before: answer with the original outcome, write nothing. */
    record Duplicate(DedupeEntry original) implements Decision {
    }

    /** Valid, but nothing changes (e.g. joining a channel one is already in). */
    record Unchanged(String code, long head) implements Decision {
    }

    /**
     * Move the actor's read cursor to {@code upTo} (validated against the channel: a member, within the head).
     * No channel event: the cursor is the user's own state, applied by the user sub-topology, which also decides
     * whether it moves forward.
     */
    record MoveCursor(long upTo, long head) implements Decision {
    }

    /** Refused. */
    record Rejected(ErrorCode code, String message) implements Decision {
    }
}
