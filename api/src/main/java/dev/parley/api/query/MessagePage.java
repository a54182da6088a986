package dev.parley.api.query;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Messages of a channel in their current state (see {@link dev.parley.topology.events.MessageJson}), ascending by
 * seq; {@code more} when older ones exist before the first.
 */
public record MessagePage(String channel, List<ObjectNode> messages, long head, boolean more, boolean stale) {
}
