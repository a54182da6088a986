package dev.parley.topology.state;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Binary store keys laid out for range and prefix scans: every component but the last is length-prefixed
 * (2 bytes, big-endian) so that no id can be a prefix of another; the last one is raw, so keys sharing a
 * prefix sort by it (users of a channel by user id); seqs are 8-byte big-endian so that byte order is
 * numeric order. E.g. a channel's events are the contiguous range {@code [len][channel][seq 1] .. [len][channel][seq N]}.
 */
public final class StoreKeys {

    private StoreKeys() {
    }

    /** (channel, seq): events and message refs. */
    public static Bytes channelSeq(String channel, long seq) {
        byte[] c = utf8(channel);
        return Bytes.wrap(ByteBuffer.allocate(2 + c.length + 8).putShort((short) c.length).put(c).putLong(seq).array());
    }

    /** (a, b) for two ids, e.g. (channel, user) or (user, channel). */
    public static Bytes pair(String a, String b) {
        byte[] x = utf8(a);
        byte[] y = utf8(b);
        return Bytes.wrap(ByteBuffer.allocate(2 + x.length + y.length).putShort((short) x.length).put(x).put(y).array());
    }

    /** (channel, user, idempotency key): the dedupe key. */
    public static Bytes triple(String a, String b, String c) {
        byte[] x = utf8(a);
        byte[] y = utf8(b);
        byte[] z = utf8(c);
        return Bytes.wrap(ByteBuffer.allocate(4 + x.length + y.length + z.length)
                .putShort((short) x.length).put(x).putShort((short) y.length).put(y).put(z).array());
    }

    /** (channel, seq, emoji, user): one user's reaction to a message. */
    public static Bytes reaction(String channel, long seq, String emoji, String user) {
        byte[] c = utf8(channel);
        byte[] e = utf8(emoji);
        byte[] u = utf8(user);
        return Bytes.wrap(ByteBuffer.allocate(2 + c.length + 8 + 2 + e.length + u.length)
                .putShort((short) c.length).put(c).putLong(seq).putShort((short) e.length).put(e).put(u).array());
    }

    /** (channel, root seq, reply seq): the thread index; a root's replies are one contiguous range. */
    public static Bytes threadReply(String channel, long root, long reply) {
        byte[] c = utf8(channel);
        return Bytes.wrap(ByteBuffer.allocate(2 + c.length + 16).putShort((short) c.length).put(c).putLong(root).putLong(reply).array());
    }

    /** The prefix shared by every {@link #pair} key whose first component is {@code a}. */
    public static Bytes prefix(String a) {
        byte[] x = utf8(a);
        return Bytes.wrap(ByteBuffer.allocate(2 + x.length).putShort((short) x.length).put(x).array());
    }

    /** The seq of a {@link #channelSeq} key. */
    public static long seqOf(Bytes key) {
        byte[] b = key.get();
        return ByteBuffer.wrap(b, b.length - 8, 8).getLong();
    }

    /** The second component of a {@link #pair} key. */
    public static String secondOf(Bytes key) {
        byte[] b = key.get();
        int first = ByteBuffer.wrap(b).getShort() & 0xFFFF;
        return new String(b, 2 + first, b.length - 2 - first, StandardCharsets.UTF_8);
    }

    /** The smallest key greater than every {@link #pair} key with first component {@code a}. */
    public static Bytes prefixEnd(String a) {
        byte[] p = prefix(a).get();
        // Increment the prefix as a big number: the 2-byte length makes sure it never overflows into the id.
        byte[] end = p.clone();
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xFF) {
                end[i]++;
                return Bytes.wrap(java.util.Arrays.copyOf(end, i + 1));
            }
            end[i] = 0;
        }
        throw new IllegalArgumentException("no key follows prefix of '" + a + "'");
    }

    private static byte[] utf8(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0xFFFF) {
            throw new IllegalArgumentException("id too long for a store key: " + b.length + " bytes");
        }
        return b;
    }
}
