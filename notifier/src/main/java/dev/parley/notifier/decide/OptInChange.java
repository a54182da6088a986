package dev.parley.notifier.decide;

/**
 * A change of a channel's opt-in index: {@code user} now wants (or no longer wants) every message of
 * {@code channel}. Computed on the user's side, applied on the channel's side.
 */
public record OptInChange(String channel, String user, boolean wantsAll) {
}
