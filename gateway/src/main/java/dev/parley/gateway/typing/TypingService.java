package dev.parley.gateway.typing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.avro.Actor;
import dev.parley.avro.typing.TypingEvent;
import dev.parley.gateway.GatewayConfig;
import dev.parley.gateway.hub.ClientSession;
import dev.parley.gateway.hub.Frames;
import dev.parley.gateway.hub.Hub;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Typing indicators: {@code typing{channel}} from a member goes, as {@code typing{channel,user,expiresIn}}, to the
 * channel's members connected anywhere, except the typer's own connections. This gateway's members get it at once
 * (its hub knows whose connections follow the channel), the other gateways through the typing topic. Never in the
 * log, never in a transaction, at most once.
 */
public final class TypingService implements AutoCloseable {

    private final String gatewayId;
    private final int ttlMs;
    private final java.time.Duration interval;
    private final Hub hub;
    private final Clock clock;
    private final TypingBus bus;
    private final Map<String, TypingLimiter> limiters = new ConcurrentHashMap<>();
    private final Counter forwarded;
    private final Counter dropped;

    public TypingService(GatewayConfig config, Hub hub, Clock clock, MeterRegistry meters) {
        this.gatewayId = config.gatewayId();
        this.ttlMs = (int) config.presence().typingTtl().toMillis();
        this.interval = config.presence().typingInterval();
        this.hub = hub;
        this.clock = clock;
        this.forwarded = Counter.builder("parley_gateway_typing").tag("outcome", "forwarded")
                .description("typing frames received from clients").register(meters);
        this.dropped = Counter.builder("parley_gateway_typing").tag("outcome", "rate_limited")
                .description("typing frames received from clients").register(meters);
        this.bus = new TypingBus(config, this::fromOtherGateway);
    }

    /** {@code typing} from a connection (its frames are handled one at a time). */
    public void typing(ClientSession s, String channel) {
        if (!s.streams().containsKey(channel)) {
            s.send(Frames.error("not_a_member", "only members of '" + channel + "' can type in it", "channel", channel));
            return;
        }
        long now = clock.millis();
        if (!limiters.computeIfAbsent(s.id(), id -> new TypingLimiter(interval)).allow(channel, now)) {
            dropped.increment();
            return;
        }
        forwarded.increment();
        deliver(channel, s.user(), ttlMs);
        bus.publish(new TypingEvent(channel, new Actor(s.user(), s.device()), gatewayId, Instant.ofEpochMilli(now), ttlMs));
    }

    /** The connection sent a message to the channel: its next typing indicator there goes out at once. */
    public void sent(ClientSession s, String channel) {
        TypingLimiter limiter = limiters.get(s.id());
        if (limiter != null) {
            limiter.reset(channel);
        }
    }

    public void closed(ClientSession s) {
        limiters.remove(s.id());
    }

    private void fromOtherGateway(TypingEvent e) {
        if (gatewayId.equals(e.getGateway())) {
            return; // delivered here when it was typed
        }
        long left = e.getTimestamp().toEpochMilli() + e.getExpiresInMs() - clock.millis();
        if (left > 0) {
            deliver(e.getChannel(), e.getActor().getUser(), (int) Math.min(left, e.getExpiresInMs()));
        }
    }

    private void deliver(String channel, String typer, int expiresIn) {
        String frame = null;
        for (ClientSession s : hub.followers(channel)) {
            if (typer.equals(s.user())) {
                continue;
            }
            if (frame == null) {
                ObjectNode n = Frames.frame("typing");
                n.put("channel", channel);
                n.put("user", typer);
                n.put("expiresIn", expiresIn);
                frame = n.toString();
            }
            s.send(frame);
        }
    }

    @Override
    public void close() {
        bus.close();
    }
}
