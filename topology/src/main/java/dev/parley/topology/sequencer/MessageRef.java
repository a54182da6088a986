package dev.parley.topology.sequencer;

/**
 * What the decider must know of a posted message to validate a command about it.
 *
 * @param threadRoot the root's seq when the message is a reply, else null
 */
public record MessageRef(String messageId, String author, Long threadRoot, boolean deleted) {
}
