package dev.parley.ops.bench;

import java.util.BitSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loss, duplicate and order accounting. Each receiving connection has one {@link Stream} per channel that
 * sees every seq it receives; the ledger also knows which seqs of each channel were acknowledged to their
 * senders. At the end, an acknowledged seq that a stream expected but never received is lost; a seq
 * received twice on a stream is a duplicate; a seq received after a higher one is out of order.
 */
public final class DeliveryLedger {

    private final Map<String, BitSet> acked = new ConcurrentHashMap<>();
    private final Map<String, Stream> streams = new ConcurrentHashMap<>();

    /** A sender got its ack: every stream of that channel that started before {@code seq} must deliver it. */
    public void acked(String channel, long seq) {
        BitSet b = acked.computeIfAbsent(channel, c -> new BitSet());
        synchronized (b) {
            b.set(Math.toIntExact(seq));
        }
    }

    /**
     * The stream of one receiver for one channel.
     *
     * @param after the receiver has (or needs) nothing up to this seq: it expects every acked seq above it
     */
    public Stream stream(String receiver, String channel, long after) {
        return streams.computeIfAbsent(receiver + "\u0000" + channel, k -> new Stream(channel, after));
    }

    /** The totals over every stream (call once the system is quiet). */
    public Totals totals() {
        long delivered = 0;
        long duplicates = 0;
        long outOfOrder = 0;
        long lost = 0;
        for (Stream s : streams.values()) {
            synchronized (s) {
                delivered += s.delivered;
                duplicates += s.duplicates;
                outOfOrder += s.outOfOrder;
                BitSet expected = acked.getOrDefault(s.channel, new BitSet());
                BitSet missing;
                synchronized (expected) {
                    missing = (BitSet) expected.clone();
                }
                if (s.after >= 0) {
                    missing.clear(0, Math.toIntExact(Math.min(Integer.MAX_VALUE, s.after + 1)));
                }
                missing.andNot(s.seen);
                lost += missing.cardinality();
            }
        }
        long ackedTotal = acked.values().stream().mapToLong(b -> {
            synchronized (b) {
                return b.cardinality();
            }
        }).sum();
        return new Totals(streams.size(), ackedTotal, delivered, lost, duplicates, outOfOrder);
    }

    /** What one receiver got of one channel. Methods are called by that receiver's thread. */
    public static final class Stream {
        private final String channel;
        private final long after;
        private final BitSet seen = new BitSet();
        private long last = -1;
        private long delivered;
        private long duplicates;
        private long outOfOrder;

        Stream(String channel, long after) {
            this.channel = channel;
            this.after = after;
        }

        /** A seq arrived. @return false if it was a duplicate or out of order */
        public synchronized boolean received(long seq) {
            int i = Math.toIntExact(seq);
            if (seen.get(i)) {
                duplicates++;
                return false;
            }
            seen.set(i);
            delivered++;
            if (seq < last) {
                outOfOrder++;
                return false;
            }
            last = seq;
            return true;
        }

        public synchronized long last() {
            return last;
        }

        public synchronized long delivered() {
            return delivered;
        }

        /** Whether every seq in (from, to] arrived. */
        public synchronized boolean hasAll(long from, long to) {
            if (to <= from) {
                return true;
            }
            int next = seen.nextClearBit(Math.toIntExact(from + 1));
            return next > to;
        }
    }

    /** Over every stream: how many acked, delivered, lost (acked, expected, never received), duplicated, out of order. */
    public record Totals(int streams, long acked, long delivered, long lost, long duplicates, long outOfOrder) {
        public boolean clean() {
            return lost == 0 && duplicates == 0 && outOfOrder == 0;
        }
    }
}
