package dev.parley.notifier.streams;

/** What the channel side keeps per channel. */
public record ChannelMeta(boolean direct, boolean isPrivate) {
}
