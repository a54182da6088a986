package dev.parley.api;

import dev.parley.avro.command.CommandEnvelope;

/**
 * The record key of a command on the commands topic: its channel, so a channel's commands are decided in order by one
 * task; for a user command (no channel: notification preferences) its actor's user id, so one user's commands stay in
 * order. The gateway keys by it and the topology checks it.
 */
public final class CommandKeys {

    private CommandKeys() {
    }

    public static String keyOf(CommandEnvelope command) {
        return isUserCommand(command) ? command.getActor().getUser() : command.getChannel();
    }

    /** A command about the user's own state rather than a channel's: its channel is empty. */
    public static boolean isUserCommand(CommandEnvelope command) {
        return command.getChannel() == null || command.getChannel().isEmpty();
    }
}
