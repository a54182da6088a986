package dev.parley.notifier;

import dev.parley.notifier.delivery.RetryPolicy;
import dev.parley.notifier.delivery.WebhookEndpoint;
import dev.parley.notifier.streams.DigestSettings;
import dev.parley.schemas.config.Env;
import dev.parley.schemas.serde.SerdeConfig;
import dev.parley.schemas.topics.TopicNames;
import dev.parley.schemas.topics.TopicSettings;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Settings of a notifier process. Defaults work locally; every one can be overridden by an environment variable
 * (docs/operations.md, "Notifier").
 *
 * @param applicationId     Streams application id and prefix of its consumer groups ({@code PARLEY_NOTIFIER_APPLICATION_ID}, parley-notifier)
 * @param bootstrapServers  ({@code PARLEY_BOOTSTRAP_SERVERS}, localhost:9092)
 * @param registryUrl       ({@code PARLEY_SCHEMA_REGISTRY_URL}, http://localhost:8081)
 * @param topics            Parley's topic names ({@code PARLEY_TOPIC_PREFIX})
 * @param topicSettings     partitions and replication of the topics it creates ({@code PARLEY_PARTITIONS}, ...)
 * @param digest            delay, scan interval, items per notification, preview length
 *                          ({@code PARLEY_NOTIFIER_DELAY} 30s, {@code PARLEY_NOTIFIER_DIGEST_ITEMS} 5,
 *                          {@code PARLEY_NOTIFIER_PREVIEW_CHARS} 140)
 * @param maxAge            messages older than this when processed notify nobody ({@code PARLEY_NOTIFIER_MAX_AGE}, 1h)
 * @param threadRetention   a user who has not posted in a thread for this long is no longer notified of its replies;
 *                          bounds the thread index ({@code PARLEY_NOTIFIER_THREAD_RETENTION}, 30d)
 * @param commitInterval    Streams commit interval ({@code PARLEY_NOTIFIER_COMMIT_INTERVAL}, 100ms)
 * @param stateDir          Streams state ({@code PARLEY_NOTIFIER_STATE_DIR}, ./.parley-data/notifier)
 * @param bindHost          interface of /metrics and /health ({@code PARLEY_NOTIFIER_BIND}, 127.0.0.1)
 * @param port              their port, 0 = ephemeral ({@code PARLEY_NOTIFIER_PORT}, 8090)
 * @param webhooks          endpoints ({@code PARLEY_NOTIFIER_WEBHOOKS}=name=url,...; secrets in
 *                          {@code PARLEY_NOTIFIER_WEBHOOK_SECRET_<NAME>})
 * @param webhookTimeout    per attempt ({@code PARLEY_NOTIFIER_WEBHOOK_TIMEOUT}, 10s)
 * @param retry             {@code PARLEY_NOTIFIER_RETRY_MAX_ATTEMPTS} 8, {@code PARLEY_NOTIFIER_RETRY_INITIAL} 1s,
 *                          {@code PARLEY_NOTIFIER_RETRY_MAX_BACKOFF} 60s (doubling, ±50 % jitter)
 * @param circuitOpen       how long an endpoint's open circuit refuses calls before probing ({@code PARLEY_NOTIFIER_CIRCUIT_OPEN}, 10s)
 * @param maxInFlight       notifications being delivered at once ({@code PARLEY_NOTIFIER_MAX_IN_FLIGHT}, 256)
 * @param instance          names this process's delivery transactions: stable across restarts, unique per process
 *                          ({@code PARLEY_NOTIFIER_INSTANCE}, the host name)
 * @param presenceTimeout   a gateway of the connection registry not heard from for longer is dead and its users offline
 *                          ({@code PARLEY_PRESENCE_TIMEOUT}, 15s: the gateways' setting, shared)
 * @param presenceForget    how long the registry keeps the last-seen time of offline users
 *                          ({@code PARLEY_PRESENCE_FORGET_AFTER}, 24h: shared with the gateways)
 * @param presenceGrace     how long a gateway keeps a user's entry after their last device left
 *                          ({@code PARLEY_PRESENCE_GRACE}, 5s: shared with the gateways)
 * @param kafkaOverrides    {@code PARLEY_KAFKA_*}
 * @param registryOverrides {@code PARLEY_SCHEMA_REGISTRY_*}
 */
public record NotifierConfig(String applicationId, String bootstrapServers, String registryUrl, TopicNames topics,
                             TopicSettings topicSettings, DigestSettings digest, Duration maxAge, Duration threadRetention,
                             Duration commitInterval,
                             Path stateDir, String bindHost, int port, List<WebhookEndpoint> webhooks,
                             Duration webhookTimeout, RetryPolicy retry, Duration circuitOpen, int maxInFlight,
                             String instance, Duration presenceTimeout, Duration presenceForget,
                             Duration presenceGrace,
                             Map<String, String> kafkaOverrides, Map<String, String> registryOverrides) {

    public static NotifierConfig fromEnv(Env env) {
        Duration delay = env.duration("PARLEY_NOTIFIER_DELAY", Duration.ofSeconds(30));
        DigestSettings d = DigestSettings.of(delay);
        int items = env.integer("PARLEY_NOTIFIER_DIGEST_ITEMS", d.latest());
        DigestSettings digest = new DigestSettings(delay, d.scanInterval(), items, Math.max(items, d.trackCap()),
                env.integer("PARLEY_NOTIFIER_PREVIEW_CHARS", d.previewChars()));
        RetryPolicy r = RetryPolicy.defaults();
        return new NotifierConfig(
                env.str("PARLEY_NOTIFIER_APPLICATION_ID", "parley-notifier"),
                env.str("PARLEY_BOOTSTRAP_SERVERS", "localhost:9092"),
                env.str("PARLEY_SCHEMA_REGISTRY_URL", "http://localhost:8081"),
                new TopicNames(env.str("PARLEY_TOPIC_PREFIX", TopicNames.DEFAULT_PREFIX)),
                TopicSettings.fromEnv(env),
                digest,
                env.duration("PARLEY_NOTIFIER_MAX_AGE", Duration.ofHours(1)),
                env.duration("PARLEY_NOTIFIER_THREAD_RETENTION", Duration.ofDays(30)),
                env.duration("PARLEY_NOTIFIER_COMMIT_INTERVAL", Duration.ofMillis(100)),
                Path.of(env.str("PARLEY_NOTIFIER_STATE_DIR", "./.parley-data/notifier")),
                env.str("PARLEY_NOTIFIER_BIND", "127.0.0.1"),
                env.integer("PARLEY_NOTIFIER_PORT", 8090),
                webhooks(env),
                env.duration("PARLEY_NOTIFIER_WEBHOOK_TIMEOUT", Duration.ofSeconds(10)),
                new RetryPolicy(env.integer("PARLEY_NOTIFIER_RETRY_MAX_ATTEMPTS", r.maxAttempts()),
                        env.duration("PARLEY_NOTIFIER_RETRY_INITIAL", r.initialBackoff()), r.multiplier(),
                        env.duration("PARLEY_NOTIFIER_RETRY_MAX_BACKOFF", r.maxBackoff()), r.jitter()),
                env.duration("PARLEY_NOTIFIER_CIRCUIT_OPEN", Duration.ofSeconds(10)),
                env.integer("PARLEY_NOTIFIER_MAX_IN_FLIGHT", 256),
                env.str("PARLEY_NOTIFIER_INSTANCE", hostName()),
                env.duration("PARLEY_PRESENCE_TIMEOUT", Duration.ofSeconds(15)),
                env.duration("PARLEY_PRESENCE_FORGET_AFTER", Duration.ofHours(24)),
                env.duration("PARLEY_PRESENCE_GRACE", Duration.ofSeconds(5)),
                env.passThrough("PARLEY_KAFKA_"),
                env.passThrough("PARLEY_SCHEMA_REGISTRY_"));
    }

    /** {@code name=url,name=url}; each name needs {@code PARLEY_NOTIFIER_WEBHOOK_SECRET_<NAME>}. */
    static List<WebhookEndpoint> webhooks(Env env) {
        String spec = env.str("PARLEY_NOTIFIER_WEBHOOKS", "");
        List<WebhookEndpoint> out = new ArrayList<>();
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("PARLEY_NOTIFIER_WEBHOOKS must be name=url[,name=url...], got '" + p + "'");
            }
            String name = p.substring(0, eq).trim();
            String secretVar = "PARLEY_NOTIFIER_WEBHOOK_SECRET_" + WebhookEndpoint.envName(name);
            String secret = env.str(secretVar, null);
            if (secret == null) {
                throw new IllegalArgumentException("webhook '" + name + "' has no secret: set " + secretVar
                        + " (at least " + WebhookEndpoint.MIN_SECRET_BYTES + " bytes; e.g. whsec_ + base64 of 32 random bytes)");
            }
            out.add(WebhookEndpoint.of(name, URI.create(p.substring(eq + 1).trim()), secret));
        }
        if (out.stream().map(WebhookEndpoint::name).distinct().count() != out.size()) {
            throw new IllegalArgumentException("PARLEY_NOTIFIER_WEBHOOKS names must be unique: " + spec);
        }
        return List.copyOf(out);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "notifier";
        }
    }

    public Map<String, Object> serdeConfig() {
        return SerdeConfig.forUrl(registryUrl, registryOverrides);
    }
}
