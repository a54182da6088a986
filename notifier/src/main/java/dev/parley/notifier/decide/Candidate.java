package dev.parley.notifier.decide;

/**
 * A user who may be notified of a message, and why. Whether they are is decided later, on the user's side:
 * by their preferences, by reading, by coming online.
 */
public record Candidate(String user, Reason reason, PostedMessage message) {
}
