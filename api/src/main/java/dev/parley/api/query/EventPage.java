package dev.parley.api.query;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A page of a channel's events in ascending seq order.
 *
 * @param channel the channel
 * @param events  events as rendered by {@link dev.parley.api.events.EventJson}, ascending by seq
 * @param head    the channel's last seq known to the store that answered (0 if it has no events)
 * @param more    true when further events exist in the requested direction beyond this page: ask again
 * @param stale   true when a standby or restoring replica answered: it may be behind the log
 */
public record EventPage(String channel, List<ObjectNode> events, long head, boolean more, boolean stale) {

    public long firstSeq() {
        return events.isEmpty() ? -1 : events.get(0).path("seq").asLong();
    }

    public long lastSeq() {
        return events.isEmpty() ? -1 : events.get(events.size() - 1).path("seq").asLong();
    }
}
