package dev.parley.gateway;

import dev.parley.gateway.admission.AdmissionSettings;
import dev.parley.gateway.hub.DeliveryConfig;
import dev.parley.gateway.presence.PresenceConfig;
import dev.parley.gateway.routing.FanoutConfig;
import dev.parley.schemas.config.Env;
import dev.parley.schemas.topics.TopicNames;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Settings of a gateway. Defaults work locally; every one can be overridden by an environment variable
 * (docs/operations.md lists them).
 *
 * @param gatewayId          unique id of this gateway process; results are routed back by it
 *                           ({@code PARLEY_GATEWAY_ID}, random {@code gw-xxxxxxxx} per start)
 * @param bindHost           ({@code PARLEY_GATEWAY_BIND}, 0.0.0.0)
 * @param port               HTTP/WebSocket port, 0 = ephemeral ({@code PARLEY_GATEWAY_PORT}, 8080)
 * @param bootstrapServers   ({@code PARLEY_BOOTSTRAP_SERVERS}, localhost:9092)
 * @param registryUrl        ({@code PARLEY_SCHEMA_REGISTRY_URL}, http://localhost:8081)
 * @param topics             ({@code PARLEY_TOPIC_PREFIX}, parley.)
 * @param topologyUrls       query RPC of the topology instances, comma-separated ({@code PARLEY_TOPOLOGY_URLS}, http://localhost:8070)
 * @param topologyRpcSecret  the query RPC's shared secret, sent with every query ({@code PARLEY_TOPOLOGY_RPC_SECRET}, unset)
 * @param jwtSecret          HS256 secret, at least 32 random bytes ({@code PARLEY_JWT_SECRET}; the dev secret in dev mode,
 *                           else required unless a JWKS URL is set: see {@link dev.parley.gateway.auth.SecretPolicy})
 * @param jwksUrl            RS256/ES256 keys of an identity provider; when set, HS256 is off ({@code PARLEY_JWT_JWKS_URL})
 * @param jwtIssuer          required {@code iss}, if set ({@code PARLEY_JWT_ISSUER})
 * @param jwtAudience        required {@code aud}, if set ({@code PARLEY_JWT_AUDIENCE})
 * @param jwtClockSkew       tolerance on {@code exp}/{@code nbf} for clocks that disagree ({@code PARLEY_JWT_CLOCK_SKEW}, 5s)
 * @param devMode            enables {@code POST /api/dev/token} and the built-in dev secret ({@code PARLEY_DEV_MODE}, false)
 * @param helloTimeout       how long a new connection may take to send hello ({@code PARLEY_HELLO_TIMEOUT}, 10s)
 * @param sendTimeout        how long a command may wait for its committed result ({@code PARLEY_SEND_TIMEOUT}, 10s)
 * @param maxFrameBytes      largest client frame answered with an error instead of a close ({@code PARLEY_MAX_FRAME_BYTES}, 256 KiB)
 * @param maxQueuedBytes     outbound characters (about bytes) a connection may have queued unsent before it is told to resync ({@code PARLEY_MAX_QUEUED_BYTES}, 4 MiB)
 * @param welcomeChannels    channels listed in a welcome; beyond, the client pages with {@code channels} ({@code PARLEY_WELCOME_CHANNELS}, 500)
 * @param maxResumeChannels  entries a hello's {@code resume} may have ({@code PARLEY_MAX_RESUME_CHANNELS}, 1000)
 * @param catchUpPage        events fetched per catch-up page ({@code PARLEY_CATCHUP_PAGE}, 1000)
 * @param maxCatchUp         events replayed automatically per channel on resume; beyond, a {@code behind} frame ({@code PARLEY_MAX_CATCHUP}, 100000)
 * @param workerThreads      threads for the frames of welcomed connections: commands, reads ({@code PARLEY_GATEWAY_WORKERS}, 16)
 * @param handshakeThreads   threads for the work reconnects bring, hellos and catch-ups, apart from the workers so a
 *                           reconnect storm waiting on the topology never holds up connected clients ({@code PARLEY_GATEWAY_HANDSHAKE_THREADS}, 4)
 * @param admission          rate limits, in-flight bounds and shedding ({@link AdmissionSettings})
 * @param http               HTTP limits ({@link HttpLimits})
 * @param kafkaOverrides     extra client properties from {@code PARLEY_KAFKA_*}
 * @param registryOverrides  extra serde properties from {@code PARLEY_SCHEMA_REGISTRY_*}
 * @param presence           the ephemeral path: connection registry, presence, typing ({@code PARLEY_PRESENCE_*}, {@code PARLEY_TYPING_*})
 * @param delivery           how live events go out: batching ({@code PARLEY_BATCH_*})
 * @param fanout             where live events come from: the whole log or this gateway's routed deliveries
 *                           ({@code PARLEY_FANOUT}, {@code PARLEY_ROUTE_*})
 */
public record GatewayConfig(String gatewayId, String bindHost, int port, String bootstrapServers, String registryUrl,
                            TopicNames topics, List<URI> topologyUrls, String topologyRpcSecret,
                            String jwtSecret, String jwksUrl, String jwtIssuer,
                            String jwtAudience, Duration jwtClockSkew, boolean devMode, Duration helloTimeout,
                            Duration sendTimeout, int maxFrameBytes, int maxQueuedBytes, int welcomeChannels,
                            int maxResumeChannels, int catchUpPage, int maxCatchUp, int workerThreads, int handshakeThreads,
                            AdmissionSettings admission, HttpLimits http,
                            Map<String, String> kafkaOverrides, Map<String, String> registryOverrides,
                            PresenceConfig presence, DeliveryConfig delivery, FanoutConfig fanout) {

    /** Only for dev mode: outside it the gateway refuses to start with this value. */
    public static final String DEV_SECRET = "parley-dev-secret-do-not-use-in-production-0123456789";

    public static GatewayConfig fromEnv(Env env) {
        boolean devMode = env.bool("PARLEY_DEV_MODE", false);
        return new GatewayConfig(
                env.str("PARLEY_GATEWAY_ID", "gw-" + UUID.randomUUID().toString().substring(0, 8)),
                env.str("PARLEY_GATEWAY_BIND", "0.0.0.0"),
                env.integer("PARLEY_GATEWAY_PORT", 8080),
                env.str("PARLEY_BOOTSTRAP_SERVERS", "localhost:9092"),
                env.str("PARLEY_SCHEMA_REGISTRY_URL", "http://localhost:8081"),
                new TopicNames(env.str("PARLEY_TOPIC_PREFIX", TopicNames.DEFAULT_PREFIX)),
                Arrays.stream(env.str("PARLEY_TOPOLOGY_URLS", "http://localhost:8070").split(","))
                        .map(String::trim).filter(s -> !s.isEmpty()).map(URI::create).toList(),
                env.str("PARLEY_TOPOLOGY_RPC_SECRET", null),
                env.str("PARLEY_JWT_SECRET", devMode ? DEV_SECRET : null),
                env.str("PARLEY_JWT_JWKS_URL", null),
                env.str("PARLEY_JWT_ISSUER", null),
                env.str("PARLEY_JWT_AUDIENCE", null),
                env.duration("PARLEY_JWT_CLOCK_SKEW", Duration.ofSeconds(5)),
                devMode,
                env.duration("PARLEY_HELLO_TIMEOUT", Duration.ofSeconds(10)),
                env.duration("PARLEY_SEND_TIMEOUT", Duration.ofSeconds(10)),
                env.integer("PARLEY_MAX_FRAME_BYTES", 256 * 1024),
                env.integer("PARLEY_MAX_QUEUED_BYTES", 4 << 20),
                env.integer("PARLEY_WELCOME_CHANNELS", 500),
                env.integer("PARLEY_MAX_RESUME_CHANNELS", 1000),
                env.integer("PARLEY_CATCHUP_PAGE", 1000),
                env.integer("PARLEY_MAX_CATCHUP", 100_000),
                env.integer("PARLEY_GATEWAY_WORKERS", 16),
                env.integer("PARLEY_GATEWAY_HANDSHAKE_THREADS", 4),
                AdmissionSettings.fromEnv(env),
                HttpLimits.fromEnv(env),
                env.passThrough("PARLEY_KAFKA_"),
                env.passThrough("PARLEY_SCHEMA_REGISTRY_"),
                PresenceConfig.fromEnv(env),
                DeliveryConfig.fromEnv(env),
                FanoutConfig.fromEnv(env));
    }

    /** Serde settings: the registry URL plus pass-through overrides (e.g. basic auth). */
    public Map<String, Object> serdeConfig() {
        return dev.parley.schemas.serde.SerdeConfig.forUrl(registryUrl, registryOverrides);
    }
}
