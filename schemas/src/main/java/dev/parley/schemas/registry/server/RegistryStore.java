package dev.parley.schemas.registry.server;

import java.util.List;

/**
 * Where the registry's records are kept. {@link #append} returns only once the records are durable and
 * have been applied to the {@link RegistryState} the store feeds, so what a caller is told equals what
 * is stored.
 */
interface RegistryStore extends AutoCloseable {

    /**
     * Stores the records in order and waits until they are applied to the state.
     *
     * @throws dev.parley.schemas.registry.RegistryException 50001/50002 when they could not be stored or read back
     */
    void append(List<RegistryRecord> records);

    @Override
    void close();
}
