package dev.parley.schemas.serde;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Serde settings under Confluent's configuration names, so a platform team's existing client
 * configuration works unchanged.
 *
 * <ul>
 *   <li>{@code schema.registry.url}: comma-separated base URLs, or {@code mock://<scope>} for an in-memory registry</li>
 *   <li>{@code auto.register.schemas} (default true): register the record's schema on first use</li>
 *   <li>{@code use.latest.version} (default false): write with the subject's latest schema (with auto.register.schemas=false)</li>
 *   <li>{@code latest.cache.ttl.sec} (default 300; -1 forever): how long the latest version is cached</li>
 *   <li>{@code basic.auth.credentials.source} (URL | USER_INFO) and {@code basic.auth.user.info} ({@code user:password});
 *       {@code schema.registry.basic.auth.user.info} is accepted as well</li>
 *   <li>{@code key.subject.name.strategy} / {@code value.subject.name.strategy}</li>
 *   <li>{@code specific.avro.reader} (default true for Parley's classes): decode into generated classes</li>
 * </ul>
 */
public record SerdeConfig(List<URI> urls, String mockScope, boolean autoRegister, boolean useLatestVersion,
                          Duration latestCacheTtl, Optional<String> basicUserInfo, SubjectNameStrategy keyStrategy,
                          SubjectNameStrategy valueStrategy, boolean specificReader, Duration requestTimeout) {

    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String LATEST_CACHE_TTL_SEC = "latest.cache.ttl.sec";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String SR_BASIC_AUTH_USER_INFO = "schema.registry.basic.auth.user.info";
    public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
    public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";

    public static SerdeConfig parse(Map<String, ?> configs) {
        String url = str(configs, SCHEMA_REGISTRY_URL, null);
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException(SCHEMA_REGISTRY_URL + " must be set (e.g. http://localhost:8081, or mock://scope in tests)");
        }
        String mockScope = null;
        List<URI> urls = List.of();
        if (url.startsWith("mock://")) {
            mockScope = url.substring("mock://".length());
        } else {
            urls = Arrays.stream(url.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(URI::create).toList();
        }
        String source = str(configs, BASIC_AUTH_CREDENTIALS_SOURCE, "URL");
        Optional<String> userInfo = switch (source) {
            case "USER_INFO" -> Optional.ofNullable(str(configs, BASIC_AUTH_USER_INFO, str(configs, SR_BASIC_AUTH_USER_INFO, null)));
            case "URL" -> urls.isEmpty() ? Optional.empty() : Optional.ofNullable(urls.get(0).getUserInfo());
            default -> throw new IllegalArgumentException(BASIC_AUTH_CREDENTIALS_SOURCE + " must be URL or USER_INFO, got " + source);
        };
        if (userInfo.isPresent() && "URL".equals(source)) {
            urls = urls.stream().map(SerdeConfig::withoutUserInfo).toList();
        }
        long ttl = Long.parseLong(str(configs, LATEST_CACHE_TTL_SEC, "300"));
        return new SerdeConfig(urls, mockScope,
                bool(configs, AUTO_REGISTER_SCHEMAS, true),
                bool(configs, USE_LATEST_VERSION, false),
                ttl < 0 ? Duration.ofSeconds(-1) : Duration.ofSeconds(ttl),
                userInfo,
                SubjectNameStrategy.parse(str(configs, KEY_SUBJECT_NAME_STRATEGY, null)),
                SubjectNameStrategy.parse(str(configs, VALUE_SUBJECT_NAME_STRATEGY, null)),
                bool(configs, SPECIFIC_AVRO_READER, true),
                Duration.ofMillis(Long.parseLong(str(configs, REQUEST_TIMEOUT_MS, "10000"))));
    }

    /** The minimal configuration: a registry URL and defaults for everything else. */
    public static Map<String, Object> forUrl(String url) {
        Map<String, Object> m = new HashMap<>();
        m.put(SCHEMA_REGISTRY_URL, url);
        return m;
    }

    /**
     * Serde settings of a Parley component: the registry URL plus the operator's {@code PARLEY_SCHEMA_REGISTRY_*}
     * pass-through settings (e.g. {@code basic.auth.credentials.source}, {@code basic.auth.user.info}).
     */
    public static Map<String, Object> forUrl(String url, Map<String, String> overrides) {
        Map<String, Object> m = new HashMap<>();
        overrides.forEach((k, v) -> {
            if (!k.equals("url")) { // PARLEY_SCHEMA_REGISTRY_URL is the URL itself
                m.put(k, v);
            }
        });
        m.put(SCHEMA_REGISTRY_URL, url);
        return m;
    }

    public SubjectNameStrategy strategy(boolean isKey) {
        return isKey ? keyStrategy : valueStrategy;
    }

    private static URI withoutUserInfo(URI u) {
        if (u.getUserInfo() == null) {
            return u;
        }
        return URI.create(u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort())
                + (u.getRawPath() == null ? "" : u.getRawPath()));
    }

    private static String str(Map<String, ?> configs, String key, String defaultValue) {
        Object v = configs.get(key);
        return v == null ? defaultValue : v.toString();
    }

    private static boolean bool(Map<String, ?> configs, String key, boolean defaultValue) {
        Object v = configs.get(key);
        return v == null ? defaultValue : Boolean.parseBoolean(v.toString().trim());
    }
}
