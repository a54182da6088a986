package dev.parley.topology;

import java.time.Duration;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;

/** Where the topology's stores come from: RocksDB, unless a test wraps them (e.g. to count writes). */
public interface StoreSuppliers {

    KeyValueBytesStoreSupplier keyValue(String name);

    WindowBytesStoreSupplier window(String name, Duration retention, Duration windowSize);

    /** Persistent RocksDB stores. */
    StoreSuppliers ROCKSDB = new StoreSuppliers() {
        @Override
        public KeyValueBytesStoreSupplier keyValue(String name) {
            return Stores.persistentKeyValueStore(name);
        }

        @Override
        public WindowBytesStoreSupplier window(String name, Duration retention, Duration windowSize) {
            return Stores.persistentWindowStore(name, retention, windowSize, false);
        }
    };
}
