package dev.parley.ops.chaos.check;

/**
 * When a user was let into a channel: the time its creation or its {@code add_member} was first sent. Nothing of a
 * private channel may reach the user before then.
 *
 * @param notBeforeNanos {@link System#nanoTime()} of the first attempt of the command that made it a member
 */
public record Grant(String channel, String user, long notBeforeNanos) {
}
