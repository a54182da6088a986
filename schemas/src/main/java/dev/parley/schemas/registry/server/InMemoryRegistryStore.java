package dev.parley.schemas.registry.server;

import java.util.List;

/** Keeps nothing but the state itself: for {@code mock://} registries and unit tests. */
final class InMemoryRegistryStore implements RegistryStore {

    private final RegistryState state;

    InMemoryRegistryStore(RegistryState state) {
        this.state = state;
    }

    @Override
    public void append(List<RegistryRecord> records) {
        records.forEach(state::apply);
    }

    @Override
    public void close() {
        // nothing to release
    }
}
