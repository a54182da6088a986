package dev.parley.gateway.client;

import dev.parley.avro.Actor;
import dev.parley.avro.command.CommandEnvelope;
import java.time.Instant;
import java.util.UUID;

/** Builds the command envelopes this gateway produces. */
public final class Envelopes {

    private final String gatewayId;

    public Envelopes(String gatewayId) {
        this.gatewayId = gatewayId;
    }

    /**
     * @param idempotencyKey the client's key: clientMsgId for messages, requestId for other commands
     */
    public CommandEnvelope of(String user, String device, String channel, String idempotencyKey, Object command) {
        return CommandEnvelope.newBuilder()
                .setCommandId(UUID.randomUUID().toString())
                .setChannel(channel)
                .setGatewayId(gatewayId)
                .setRequestId(UUID.randomUUID().toString())
                .setActor(new Actor(user, device))
                .setTimestamp(Instant.now())
                .setIdempotencyKey(idempotencyKey)
                .setCommand(command)
                .build();
    }
}
