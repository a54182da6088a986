package dev.parley.topology.support;

import dev.parley.topology.StoreSuppliers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The real RocksDB stores, each wrapped in a decorator that counts its writes (puts and deletes reaching
 * RocksDB), by store name: what the topology's write budget is measured with.
 */
public final class CountingStores implements StoreSuppliers {

    private final Map<String, AtomicLong> writes = new ConcurrentHashMap<>();

    public long writes(String store) {
        return writes.computeIfAbsent(store, s -> new AtomicLong()).get();
    }

    public long totalWrites() {
        return writes.values().stream().mapToLong(AtomicLong::get).sum();
    }

    public void reset() {
        writes.values().forEach(c -> c.set(0));
    }

    @Override
    public KeyValueBytesStoreSupplier keyValue(String name) {
        KeyValueBytesStoreSupplier real = ROCKSDB.keyValue(name);
        AtomicLong count = writes.computeIfAbsent(name, s -> new AtomicLong());
        return new KeyValueBytesStoreSupplier() {
            @Override
            public String name() {
                return real.name();
            }

            @Override
            public KeyValueStore<Bytes, byte[]> get() {
                return new CountingKeyValueStore(real.get(), count);
            }

            @Override
            public String metricsScope() {
                return real.metricsScope();
            }
        };
    }

    @Override
    public WindowBytesStoreSupplier window(String name, Duration retention, Duration windowSize) {
        WindowBytesStoreSupplier real = ROCKSDB.window(name, retention, windowSize);
        AtomicLong count = writes.computeIfAbsent(name, s -> new AtomicLong());
        return new WindowBytesStoreSupplier() {
            @Override
            public long segmentIntervalMs() {
                return real.segmentIntervalMs();
            }

            @Override
            public long windowSize() {
                return real.windowSize();
            }

            @Override
            public boolean retainDuplicates() {
                return real.retainDuplicates();
            }

            @Override
            public long retentionPeriod() {
                return real.retentionPeriod();
            }

            @Override
            public String name() {
                return real.name();
            }

            @Override
            public WindowStore<Bytes, byte[]> get() {
                return new CountingWindowStore(real.get(), count);
            }

            @Override
            public String metricsScope() {
                return real.metricsScope();
            }
        };
    }

    /** What every store decorator delegates: the store's life cycle. */
    private abstract static class Delegating<S extends StateStore> implements StateStore {
        final S inner;
        final AtomicLong writes;

        Delegating(S inner, AtomicLong writes) {
            this.inner = inner;
            this.writes = writes;
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public void init(StateStoreContext context, StateStore root) {
            inner.init(context, root);
        }

        @Override
        public void flush() {
            inner.flush();
        }

        @Override
        public void commit(Map<TopicPartition, Long> changelogOffsets) {
            inner.commit(changelogOffsets);
        }

        @Override
        public Long committedOffset(TopicPartition partition) {
            return inner.committedOffset(partition);
        }

        @Override
        public boolean managesOffsets() {
            return inner.managesOffsets();
        }

        @Override
        public long approximateNumUncommittedBytes() {
            return inner.approximateNumUncommittedBytes();
        }

        @Override
        public Position getPosition() {
            return inner.getPosition();
        }

        @Override
        public <R> QueryResult<R> query(Query<R> query, PositionBound bound, QueryConfig config) {
            return inner.query(query, bound, config);
        }

        @Override
        public void close() {
            inner.close();
        }

        @Override
        public boolean persistent() {
            return inner.persistent();
        }

        @Override
        public boolean isOpen() {
            return inner.isOpen();
        }
    }

    private static final class CountingKeyValueStore extends Delegating<KeyValueStore<Bytes, byte[]>> implements KeyValueStore<Bytes, byte[]> {

        CountingKeyValueStore(KeyValueStore<Bytes, byte[]> inner, AtomicLong writes) {
            super(inner, writes);
        }

        @Override
        public void put(Bytes key, byte[] value) {
            writes.incrementAndGet();
            inner.put(key, value);
        }

        @Override
        public byte[] putIfAbsent(Bytes key, byte[] value) {
            writes.incrementAndGet();
            return inner.putIfAbsent(key, value);
        }

        @Override
        public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
            writes.addAndGet(entries.size());
            inner.putAll(entries);
        }

        @Override
        public byte[] delete(Bytes key) {
            writes.incrementAndGet();
            return inner.delete(key);
        }

        @Override
        public byte[] get(Bytes key) {
            return inner.get(key);
        }

        @Override
        public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
            return inner.range(from, to);
        }

        @Override
        public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
            return inner.reverseRange(from, to);
        }

        @Override
        public KeyValueIterator<Bytes, byte[]> all() {
            return inner.all();
        }

        @Override
        public KeyValueIterator<Bytes, byte[]> reverseAll() {
            return inner.reverseAll();
        }

        @Override
        public <PS extends org.apache.kafka.common.serialization.Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(P prefix, PS serializer) {
            return inner.prefixScan(prefix, serializer);
        }

        @Override
        public long approximateNumEntries() {
            return inner.approximateNumEntries();
        }
    }

    private static final class CountingWindowStore extends Delegating<WindowStore<Bytes, byte[]>> implements WindowStore<Bytes, byte[]> {

        CountingWindowStore(WindowStore<Bytes, byte[]> inner, AtomicLong writes) {
            super(inner, writes);
        }

        @Override
        public void put(Bytes key, byte[] value, long windowStartTimestamp) {
            writes.incrementAndGet();
            inner.put(key, value, windowStartTimestamp);
        }

        @Override
        public WindowStoreIterator<byte[]> fetch(Bytes key, long timeFrom, long timeTo) {
            return inner.fetch(key, timeFrom, timeTo);
        }

        @Override
        public KeyValueIterator<Windowed<Bytes>, byte[]> fetch(Bytes keyFrom, Bytes keyTo, long timeFrom, long timeTo) {
            return inner.fetch(keyFrom, keyTo, timeFrom, timeTo);
        }

        @Override
        public KeyValueIterator<Windowed<Bytes>, byte[]> fetchAll(long timeFrom, long timeTo) {
            return inner.fetchAll(timeFrom, timeTo);
        }

        @Override
        public byte[] fetch(Bytes key, long time) {
            return inner.fetch(key, time);
        }

        @Override
        public WindowStoreIterator<byte[]> fetch(Bytes key, Instant timeFrom, Instant timeTo) {
            return inner.fetch(key, timeFrom, timeTo);
        }

        @Override
        public KeyValueIterator<Windowed<Bytes>, byte[]> fetch(Bytes keyFrom, Bytes keyTo, Instant timeFrom, Instant timeTo) {
            return inner.fetch(keyFrom, keyTo, timeFrom, timeTo);
        }

        @Override
        public WindowStoreIterator<byte[]> backwardFetch(Bytes key, Instant timeFrom, Instant timeTo) {
            return inner.backwardFetch(key, timeFrom, timeTo);
        }

        @Override
        public KeyValueIterator<Windowed<Bytes>, byte[]> backwardFetch(Bytes keyFrom, Bytes keyTo, Instant timeFrom, Instant timeTo) {
            return inner.backwardFetch(keyFrom, keyTo, timeFrom, timeTo);
        }

        @Override
        public KeyValueIterator<Windowed<Bytes>, byte[]> all() {
            return inner.all();
        }

        @Override
        public KeyValueIterator<Windowed<Bytes>, byte[]> backwardAll() {
            return inner.backwardAll();
        }

        @Override
        public KeyValueIterator<Windowed<Bytes>, byte[]> fetchAll(Instant timeFrom, Instant timeTo) {
            return inner.fetchAll(timeFrom, timeTo);
        }

        @Override
        public KeyValueIterator<Windowed<Bytes>, byte[]> backwardFetchAll(Instant timeFrom, Instant timeTo) {
            return inner.backwardFetchAll(timeFrom, timeTo);
        }
    }
}
