package dev.parley.schemas.serde;

import dev.parley.schemas.registry.CachingSchemaRegistryClient;
import dev.parley.schemas.registry.InMemorySchemaRegistry;
import dev.parley.schemas.registry.RestSchemaRegistryClient;
import dev.parley.schemas.registry.SchemaRegistryClient;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One cached registry client per distinct registry configuration in this JVM, shared by every serde that
 * uses it, so a schema id is fetched once per process, not once per serde instance.
 */
public final class RegistryClients {

    private record Key(Object urls, Object mockScope, Object auth) {
    }

    private static final Map<Key, SchemaRegistryClient> CLIENTS = new ConcurrentHashMap<>();

    private RegistryClients() {
    }

    public static SchemaRegistryClient forConfig(SerdeConfig config) {
        if (config.mockScope() != null) {
            return InMemorySchemaRegistry.forScope(config.mockScope());
        }
        return CLIENTS.computeIfAbsent(new Key(config.urls(), null, config.basicUserInfo()), k ->
                new CachingSchemaRegistryClient(
                        new RestSchemaRegistryClient(config.urls(), config.basicUserInfo(), config.requestTimeout()),
                        config.latestCacheTtl(), Clock.systemUTC()));
    }
}
