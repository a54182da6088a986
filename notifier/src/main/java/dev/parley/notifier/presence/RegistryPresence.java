package dev.parley.notifier.presence;

import dev.parley.api.presence.ConnectionRegistry;
import dev.parley.api.presence.RegistryTail;
import dev.parley.api.presence.UserPresence;
import dev.parley.notifier.NotifierConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PresenceView} over the connection registry (the read model of {@code parley.presence} every gateway
 * writes, docs/architecture.md "The ephemeral path"): a user is online while any live gateway holds a device of
 * theirs, on any gateway (online or away: a connected device shows the messages); when not, their last device
 * went away at about the registry's {@code lastSeen} minus the gateways' grace ({@code PARLEY_PRESENCE_GRACE}: a
 * gateway removes a user's entry that long after their last device left, so that a quick reconnect is no offline).
 * Taking the grace off errs toward notifying: a message committed during it was not seen.
 */
public final class RegistryPresence implements PresenceView, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryPresence.class);

    private final RegistryTail tail;
    private final Clock clock;
    private final long graceMillis;

    public RegistryPresence(RegistryTail tail, Clock clock, Duration grace) {
        this.tail = tail;
        this.clock = clock;
        this.graceMillis = grace.toMillis();
    }

    /**
     * Tails the registry topic from the beginning and waits (at most {@code catchUp}) until it has read what was
     * there at start: a notifier that decided before that would take online users for offline ones.
     */
    public static RegistryPresence start(NotifierConfig config, Duration catchUp) {
        Map<String, Object> kafka = new HashMap<>();
        kafka.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        config.kafkaOverrides().forEach(kafka::put);
        Clock clock = Clock.systemUTC();
        RegistryTail tail = new RegistryTail(kafka, config.serdeConfig(), config.topics().presence(),
                config.applicationId() + "-registry-" + config.instance(),
                new ConnectionRegistry(config.presenceTimeout(), config.presenceForget()), changes -> { }, clock);
        try {
            if (!tail.awaitCaughtUp(catchUp)) {
                LOG.warn("the connection registry ({}) was not read to its end within {}; deciding with what is known so far",
                        config.topics().presence(), catchUp);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            tail.close();
            throw new IllegalStateException("interrupted while reading the connection registry", e);
        }
        return new RegistryPresence(tail, clock, config.presenceGrace());
    }

    @Override
    public Presence presence(String user) {
        return of(tail.registry().presenceOf(user), clock.millis(), graceMillis);
    }

    /** The notifier's view of one user's registry presence at {@code now}. */
    static Presence of(UserPresence p, long now, long graceMillis) {
        if (p.isOnline()) {
            return new Presence(true, now);
        }
        return p.lastSeen() == null ? Presence.NEVER_SEEN : new Presence(false, Math.max(0, p.lastSeen() - graceMillis));
    }

    @Override
    public void close() {
        tail.close();
    }
}
