package dev.parley.gateway.client;

import dev.parley.avro.result.CommandResult;
import dev.parley.gateway.GatewayConfig;
import dev.parley.gateway.admission.Admission;
import dev.parley.gateway.admission.Limits;
import dev.parley.gateway.admission.Refusal;
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
    private final Admission admission;
    private final GatewayMetrics metrics;

    public CommandService(GatewayConfig config, CommandBus bus, Admission admission, GatewayMetrics metrics) {
        this.config = config;
        this.bus = bus;
        this.envelopes = new Envelopes(config.gatewayId());
        this.admission = admission;
        this.metrics = metrics;
    }

    /**
     * @param device     the device id ({@code rest} for REST calls)
     * @param connection the connection's buckets; null for REST
     */
    public CompletableFuture<Outcome> submit(String user, String device, Limits connection, ClientRequest.Command c) {
        if (c.isSend()) {
            metrics.send();
        } else {
            metrics.command(c.type());
        }
        Refusal refused = c.isSend() ? admission.admitSend(connection, user, c.channel(), c.key())
                : admission.admitCommand(connection, user, false);
        if (refused != null) {
            metrics.error(refused.code());
            return CompletableFuture.completedFuture(new Outcome.Failed(refused.code(), refused.message(), refused.retryAfterMs()));
        }
        long started = System.nanoTime();
        CompletableFuture<CommandResult> result;
        try {
            result = bus.submit(envelopes.of(user, device, c.channel(), c.key(), c.payload()));
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result.handle((r, error) -> {
            admission.finished();
            Outcome o = Outcome.of(r, error, config.sendTimeout().toSeconds());
            if (o instanceof Outcome.Failed f) {
                metrics.error(f.code());
            } else if (c.isSend() && o instanceof Outcome.Done) {
                metrics.ack(System.nanoTime() - started);
            }
            return o;
        });
    }
}
