package dev.parley.ops.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * When each numbered operation was meant to start (open loop) or started (closed loop), so an answer that
 * carries the operation's number can be timed. Chunked, so it grows without copying; thread-safe.
 */
final class SendLog {

    private static final int CHUNK_BITS = 16;
    private static final int CHUNK = 1 << CHUNK_BITS;

    private final AtomicReferenceArray<AtomicLongArray> chunks = new AtomicReferenceArray<>(1 << 14);
    private final AtomicLong next = new AtomicLong();

    /** Numbers an operation and remembers its time. */
    long add(long nanos) {
        long i = next.getAndIncrement();
        put(i, nanos);
        return i;
    }

    void set(long i, long nanos) {
        next.accumulateAndGet(i + 1, Math::max);
        put(i, nanos);
    }

    private void put(long i, long nanos) {
        int c = (int) (i >>> CHUNK_BITS);
        AtomicLongArray chunk = chunks.get(c);
        if (chunk == null) {
            chunks.compareAndSet(c, null, new AtomicLongArray(CHUNK));
            chunk = chunks.get(c);
        }
        chunk.set((int) (i & (CHUNK - 1)), nanos);
    }

    long get(long i) {
        AtomicLongArray chunk = chunks.get((int) (i >>> CHUNK_BITS));
        return chunk == null ? 0 : chunk.get((int) (i & (CHUNK - 1)));
    }

    long count() {
        return next.get();
    }

    /** The number in a clientMsgId such as {@code w1.42}, or -1. */
    static long indexOf(String clientMsgId, String prefix) {
        if (clientMsgId == null || !clientMsgId.startsWith(prefix)) {
            return -1;
        }
        try {
            return Long.parseLong(clientMsgId, prefix.length(), clientMsgId.length(), 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
