package dev.parley.api.query;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** A thread: its root message and a page of replies (ascending), in their current state; {@code more} when more follow. */
public record ThreadPage(String channel, ObjectNode root, List<ObjectNode> replies, boolean more, boolean stale) {
}
