package dev.parley.topology.channel;

import dev.parley.avro.Actor;
import dev.parley.avro.result.CommandResult;
import java.time.Instant;

/** The result of a command, routed back to its gateway (key: gateway id) with the command's ids. */
public final class CommandResults {

    private CommandResults() {
    }

    public static CommandResult of(String commandId, String gatewayId, String requestId, String channel, Actor actor,
                                   Instant timestamp, Object outcome) {
        return CommandResult.newBuilder()
                .setCommandId(commandId)
                .setGatewayId(gatewayId)
                .setRequestId(requestId)
                .setChannel(channel)
                .setActor(actor)
                .setTimestamp(timestamp)
                .setOutcome(outcome)
                .build();
    }
}
