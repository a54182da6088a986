package dev.parley.gateway.client;

import dev.parley.gateway.GatewayConfig;
import dev.parley.gateway.GatewayMetrics;
import dev.parley.gateway.kafka.CommandBus;
import java.util.concurrent.CompletableFuture;

/**
 * Runs a validated command for a user, whichever transport it came by: builds the envelope, sends it to the
 * topology and completes with its {@link Outcome} once the result is committed.
 */
public final class CommandService {

    private final GatewayConfig config;
    private final CommandBus bus;
    private final Envelopes envelopes;
    private final GatewayMetrics metrics;

    public CommandService(GatewayConfig config, CommandBus bus, GatewayMetrics metrics) {
        this.config = config;
        this.bus = bus;
        this.envelopes = new Envelopes(config.gatewayId());
        this.metrics = metrics;
    }

    /** @param device the device id ({@code rest} for REST calls) */
    public CompletableFuture<Outcome> submit(String user, String device, ClientRequest.Command c) {
        if (c.isSend()) {
            metrics.send();
        } else {
            metrics.command(c.type());
        }
        long started = System.nanoTime();
        return bus.submit(envelopes.of(user, device, c.channel(), c.key(), c.payload())).handle((result, error) -> {
            Outcome o = Outcome.of(result, error, config.sendTimeout().toSeconds());
            if (o instanceof Outcome.Failed f) {
                metrics.error(f.code());
            } else if (c.isSend() && o instanceof Outcome.Done) {
                metrics.ack(System.nanoTime() - started);
            }
            return o;
        });
    }
}
